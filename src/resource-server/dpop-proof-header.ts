import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { createBoundedMap } from './bounded-map.ts';
import { decodeJsonObject } from './compact-jws.ts';
import { canonicalJwk, thumbprintOf } from './jwk-thumbprint.ts';
import { keyFits } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** A proof's protected header once checked: its algorithm, and the `jwk` as thumbprint and key. */
export interface ProofHeader {
  readonly alg: VerifyAlgorithm;
  /** The RFC 7638 SHA-256 thumbprint of the `jwk`. */
  readonly thumbprint: string;
  readonly key: KeyObject;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const CACHE_SIZE = 1000;

type Members = Record<string, unknown>;

const malformed = (message: string): TokenRejectedError => new TokenRejectedError('dpop_proof_malformed', message);

/** The RFC 7638 members of `jwk` when it is a public key for `alg` (RSA of 2048 bits or more), else undefined. */
function canonical(jwk: Members, alg: VerifyAlgorithm): string | undefined {
  if (!keyFits(jwk, alg)) return undefined;
  if (jwk.kty === 'RSA' && (typeof jwk.n !== 'string' || Buffer.from(jwk.n, 'base64url').length < 256)) return undefined;
  return canonicalJwk(jwk);
}

function parse(encoded: string, allowed: readonly string[]): ProofHeader {
  const header = decodeJsonObject(encoded, 'dpop_proof_malformed', 'the proof header is not a base64url JSON object');
  const { typ, alg, jwk, crit, b64 } = header;
  if (typ !== 'dpop+jwt') throw malformed('the proof "typ" is not dpop+jwt');
  if (crit !== undefined || b64 !== undefined) throw malformed('the proof has "crit" or "b64" headers');
  if (typeof alg !== 'string' || !allowed.includes(alg))
    throw new TokenRejectedError('dpop_proof_algorithm', `the proof algorithm ${JSON.stringify(alg)} is not allowed`);
  const badKey = (message: string): TokenRejectedError => new TokenRejectedError('dpop_proof_key', message);
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw badKey('the "jwk" header is not a JWK');
  if (PRIVATE_MEMBERS.some((name) => name in jwk)) throw badKey('the "jwk" header holds a private or symmetric key');
  const json = canonical(jwk as Members, alg as VerifyAlgorithm);
  if (json === undefined) throw badKey(`the "jwk" header is not a public key for ${alg}`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: JSON.parse(json) as Members, format: 'jwk' });
  } catch {
    throw badKey('the "jwk" header cannot be imported');
  }
  return { alg: alg as VerifyAlgorithm, thumbprint: thumbprintOf(json), key };
}

/**
 * Reads the protected header of DPoP proofs (RFC 9449 §4.2, §4.3 checks 4 to 7): `typ:
 * dpop+jwt`, an allowed `alg`, no `crit`, and a public `jwk` that fits the algorithm; only
 * the required members are imported. A client sends the same header with every proof, so a
 * header read once is kept by its exact encoded bytes (the most recent {@link CACHE_SIZE}):
 * the same bytes always give the same answer, and its key is imported once. Throws a
 * {@link TokenRejectedError}.
 *
 * @example
 * ```ts
 * const headers = createProofHeaders(['ES256']);
 * const { alg, thumbprint, key } = headers.read(proof.split('.')[0]);
 * ```
 */
export function createProofHeaders(allowed: readonly string[]): { read(encoded: string): ProofHeader } {
  const cache = createBoundedMap<string, ProofHeader>(CACHE_SIZE);
  return {
    read(encoded) {
      let header = cache.get(encoded);
      if (header === undefined) {
        header = parse(encoded, allowed);
        cache.set(encoded, header);
      }
      return header;
    },
  };
}
