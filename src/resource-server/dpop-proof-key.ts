import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { VerifyAlgorithm } from './jwk-usage.ts';

/** The public key of a proof's `jwk` header: its RFC 7638 thumbprint and the key to verify with. */
export interface ProofKey {
  readonly thumbprint: string;
  readonly key: KeyObject;
}

const CURVES: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', EdDSA: 'Ed25519', Ed25519: 'Ed25519' };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const CACHE_SIZE = 1000;

type Members = Record<string, unknown>;

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** RFC 7638 §3.2: the required members of the key type, in lexicographic order; undefined if any is missing or the key does not fit `alg`. */
function canonical(jwk: Members, alg: VerifyAlgorithm): string | undefined {
  if (jwk.kty === 'RSA') {
    if (!alg.startsWith('RS') && !alg.startsWith('PS')) return undefined;
    if (!text(jwk.e) || !text(jwk.n) || Buffer.from(jwk.n, 'base64url').length < 256) return undefined;
    return JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  }
  if (jwk.crv !== CURVES[alg] || !text(jwk.x)) return undefined;
  if (jwk.kty === 'EC' && alg.startsWith('ES') && text(jwk.y)) return JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y });
  if (jwk.kty === 'OKP' && !alg.startsWith('ES')) return JSON.stringify({ crv: jwk.crv, kty: 'OKP', x: jwk.x });
  return undefined;
}

/**
 * Reads the `jwk` header of DPoP proofs. A key is imported once per thumbprint and algorithm
 * and kept (the most recent {@link CACHE_SIZE}): a client signs every proof with the same key.
 * Only the required members are imported, so the cached key is exactly the one the thumbprint names.
 *
 * @example
 * ```ts
 * const keys = createProofKeys();
 * const key = keys.read(header.jwk, 'ES256'); // undefined: not a usable public key for ES256
 * ```
 */
export function createProofKeys(): { read(jwk: unknown, alg: VerifyAlgorithm): ProofKey | string } {
  const cache = new Map<string, ProofKey>();
  return {
    read(jwk, alg) {
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'the "jwk" header is not a JWK';
      const members = jwk as Members;
      if (PRIVATE_MEMBERS.some((name) => name in members)) return 'the "jwk" header holds a private or symmetric key';
      const json = canonical(members, alg);
      if (json === undefined) return `the "jwk" header is not a public key for ${alg}`;
      const thumbprint = createHash('sha256').update(json).digest('base64url');
      const id = `${alg} ${thumbprint}`;
      let found = cache.get(id);
      if (found === undefined) {
        try {
          found = { thumbprint, key: createPublicKey({ key: JSON.parse(json) as Members, format: 'jwk' }) };
        } catch {
          return 'the "jwk" header cannot be imported';
        }
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(id, found);
      }
      return found;
    },
  };
}
