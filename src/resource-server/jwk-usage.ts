import type { JWK } from 'jose';

/** Asymmetric JWS algorithms the kit verifies. `none` and HS* are never accepted with public keys. */
export const SUPPORTED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'] as const;

/** One of {@link SUPPORTED_ALGORITHMS}. */
export type VerifyAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/**
 * The algorithms Tessera signs access tokens with; the default allow-list. Written out rather than
 * imported from src/config/signing-algorithms.ts: the kit imports nothing of the provider side
 * (test/layers/algorithm-table.test.ts keeps the two lists equal).
 */
export const DEFAULT_ALGORITHMS: readonly VerifyAlgorithm[] = ['ES256', 'RS256', 'PS256', 'EdDSA'];

const CURVE: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', EdDSA: 'Ed25519', Ed25519: 'Ed25519' };

/**
 * Whether a key's type (and curve) fits an algorithm: RSA for RS* and PS*, the algorithm's
 * curve for ES* (EC) and EdDSA (OKP Ed25519). Says nothing of its size or its `alg`.
 *
 * @example
 * ```ts
 * keyFits({ kty: 'EC', crv: 'P-256', x, y }, 'ES256'); // true
 * ```
 */
export function keyFits(jwk: Readonly<Record<string, unknown>>, alg: VerifyAlgorithm): boolean {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return jwk.kty === 'RSA';
  return jwk.kty === (alg.startsWith('ES') ? 'EC' : 'OKP') && jwk.crv === CURVE[alg];
}

/**
 * The allowed algorithms a published key can verify, or a sentence saying why it is unusable:
 * a key for encryption, one whose `alg` or `key_ops` exclude verification, an RSA key under
 * 2048 bits, or one that fits none of the allowed algorithms.
 *
 * @example
 * ```ts
 * keyAlgorithms({ kty: 'RSA', n, e: 'AQAB' }, ['ES256', 'RS256', 'PS256']); // ['RS256', 'PS256']
 * ```
 */
export function keyAlgorithms(jwk: JWK, allowed: readonly VerifyAlgorithm[]): VerifyAlgorithm[] | string {
  if (jwk.use !== undefined && jwk.use !== 'sig') return `"use" is "${jwk.use}", not "sig"`;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return '"key_ops" does not include "verify"';
  if (jwk.kty === 'RSA' && Buffer.from(jwk.n ?? '', 'base64url').length < 256) return 'RSA modulus is shorter than 2048 bits';
  const algs = allowed.filter((alg) => keyFits(jwk, alg) && (jwk.alg === undefined || jwk.alg === alg));
  if (algs.length === 0) return `fits none of the allowed algorithms (${allowed.join(', ')})`;
  return algs;
}

/**
 * Only the public members of a key, so a JWKS that leaks a private member still yields a public key.
 *
 * @example
 * ```ts
 * publicMembers({ kty: 'EC', crv: 'P-256', x, y, d, kid: 'k1' }); // { kty: 'EC', crv: 'P-256', x, y }
 * ```
 */
export function publicMembers(jwk: JWK): JWK {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, value]) => value !== undefined)) as JWK;
}
