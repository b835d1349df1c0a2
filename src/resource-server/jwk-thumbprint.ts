import { createHash } from 'node:crypto';

type Members = Readonly<Record<string, unknown>>;

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * RFC 7638 §3.2: the required public members of the key's type, in lexicographic order, as the
 * JSON whose SHA-256 is the thumbprint; undefined when a member is missing or the type is unknown.
 *
 * @example
 * ```ts
 * canonicalJwk({ kty: 'OKP', crv: 'Ed25519', x, kid: 'k1' }); // '{"crv":"Ed25519","kty":"OKP","x":"…"}'
 * ```
 */
export function canonicalJwk(jwk: Members): string | undefined {
  if (jwk.kty === 'RSA') return text(jwk.e) && text(jwk.n) ? JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n }) : undefined;
  if (jwk.kty === 'EC') return text(jwk.crv) && text(jwk.x) && text(jwk.y) ? JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y }) : undefined;
  if (jwk.kty === 'OKP') return text(jwk.crv) && text(jwk.x) ? JSON.stringify({ crv: jwk.crv, kty: 'OKP', x: jwk.x }) : undefined;
  return undefined;
}

/**
 * The RFC 7638 SHA-256 thumbprint (base64url) of a canonical JWK from {@link canonicalJwk}.
 *
 * @example
 * ```ts
 * const jkt = thumbprintOf(canonicalJwk(jwk)!);
 * ```
 */
export function thumbprintOf(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url');
}
