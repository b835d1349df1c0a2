import { constants, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { SigningAlg } from '../config/signing-algorithms.ts';

/** The JWS algorithms Tessera signs and verifies with (src/config/signing-algorithms.ts). */
export type JwsAlgorithm = SigningAlg;

/**
 * How node:crypto computes each JWS algorithm of the table (its type makes it cover every one):
 * the digest (null: Ed25519 hashes by itself) and the key options.
 */
const ALGORITHMS: Record<JwsAlgorithm, { readonly digest: string | null; readonly options: object }> = {
  ES256: { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  RS256: { digest: 'sha256', options: {} },
  PS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  EdDSA: { digest: null, options: {} },
};

export function isJwsAlgorithm(alg: string): alg is JwsAlgorithm {
  return Object.hasOwn(ALGORITHMS, alg);
}

/**
 * The JWS signature of `input` (RFC 7515 signing input) by `key`, computed synchronously on the
 * calling thread: one P-256 signature takes a few tens of microseconds, less than WebCrypto's
 * hand-off to the thread pool and back costs on a busy event loop.
 */
export function signJws(alg: JwsAlgorithm, input: Buffer, key: KeyObject): Buffer {
  const { digest, options } = ALGORITHMS[alg];
  return sign(digest, input, { key, ...options });
}

/** Whether `signature` is the JWS signature of `input` by `key`; false for a malformed signature too. */
export function verifyJws(alg: JwsAlgorithm, input: Buffer, key: KeyObject, signature: Buffer): boolean {
  const { digest, options } = ALGORITHMS[alg];
  try {
    return verify(digest, input, { key, ...options }, signature);
  } catch {
    return false;
  }
}
