import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { VerifyAlgorithm } from './jwk-usage.ts';

interface Signing {
  /** The digest, or null where the algorithm hashes by itself (Ed25519). */
  readonly digest: string | null;
  readonly dsaEncoding?: 'ieee-p1363';
  readonly padding?: number;
  readonly saltLength?: number;
}

const P1363 = { dsaEncoding: 'ieee-p1363' } as const;
const pss = (bytes: number): { padding: number; saltLength: number } => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bytes });

/**
 * RFC 7518 §3 as node:crypto computes it, the kit's one algorithm table: JWS signatures of
 * elliptic curves are the raw `r || s` (IEEE P1363), not DER; PSS salts are as long as the digest.
 */
const SIGNING: Readonly<Record<VerifyAlgorithm, Signing>> = {
  ES256: { digest: 'sha256', ...P1363 },
  ES384: { digest: 'sha384', ...P1363 },
  ES512: { digest: 'sha512', ...P1363 },
  RS256: { digest: 'sha256' },
  RS384: { digest: 'sha384' },
  RS512: { digest: 'sha512' },
  PS256: { digest: 'sha256', ...pss(32) },
  PS384: { digest: 'sha384', ...pss(48) },
  PS512: { digest: 'sha512', ...pss(64) },
  EdDSA: { digest: null },
  Ed25519: { digest: null },
};

/**
 * Whether `signature` is the JWS signature of `input` by `key` under `alg`, verified
 * synchronously on the calling thread with a key object imported once: cheaper than a hand-off
 * to the thread pool and back. False for a signature node:crypto cannot even read.
 *
 * @example
 * ```ts
 * verifyJwsSignature('ES256', publicKey, Buffer.from(`${header}.${payload}`), Buffer.from(signature, 'base64url'));
 * ```
 */
export function verifyJwsSignature(alg: VerifyAlgorithm, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  const { digest, ...options } = SIGNING[alg];
  try {
    return verify(digest, input, { key, ...options }, signature);
  } catch {
    return false;
  }
}
