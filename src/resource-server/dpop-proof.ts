import { createHash } from 'node:crypto';

import { decodeJsonObject } from './compact-jws.ts';
import { createHtuNormaliser } from './dpop-htu.ts';
import { createProofHeaders } from './dpop-proof-header.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { verifyJwsSignature } from './jws-signature.ts';
import type { DpopRejectionReason } from './rejection-reasons.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** What a proof must match: the request it came with and the token it goes with. */
export interface ProofExpectations {
  readonly method: string;
  /** The request URL without query and fragment, normalised (`new URL(...).href`). */
  readonly htu: string;
  readonly accessToken: string;
}

/** The claims of a verified proof the caller still needs (replay, nonce). */
export interface VerifiedProof {
  /** The RFC 7638 thumbprint of the proof's key, for the token's `cnf.jkt`. */
  readonly thumbprint: string;
  readonly jti: string;
  readonly iat: number;
  readonly nonce: string | undefined;
}

const MAX_JTI_LENGTH = 256;
const MAX_PROOF_LENGTH = 8192;
const COMPACT_JWS = /^(([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+))\.([A-Za-z0-9_-]+)$/;

const reject = (reason: DpopRejectionReason, message: string): never => {
  throw new TokenRejectedError(reason, message);
};

/**
 * The RFC 9449 §4.3 checks of one proof, except those that need the verified token (its
 * `cnf.jkt` against the returned thumbprint), replay and nonce (the caller's, once the proof is
 * otherwise good): one compact JWS, `typ: dpop+jwt`, an allowed asymmetric `alg`, a public `jwk`
 * header, `jti`, `htm`, `htu`, `iat` within `maxAge` (± `clockTolerance`), `ath`, and last the
 * signature. The claims are checked before the signature because they cost almost nothing; the
 * signature is verified with `node:crypto` on the calling thread, as the access token's is, with
 * the key imported once per client key (the kit's one signature path).
 *
 * @example
 * ```ts
 * const check = createProofVerifier({ algorithms: ['ES256'], maxAge: 60, clockTolerance: 10 });
 * const { thumbprint, jti, iat } = check(proof, { method: 'GET', htu: 'https://api.example.com/orders', accessToken });
 * ```
 */
export function createProofVerifier(options: {
  readonly algorithms: readonly VerifyAlgorithm[];
  readonly maxAge: number;
  readonly clockTolerance: number;
}): (proof: string, expected: ProofExpectations, now?: number) => VerifiedProof {
  const { algorithms, maxAge, clockTolerance } = options;
  const allowed: readonly string[] = algorithms;
  const headers = createProofHeaders(allowed);
  const normalise = createHtuNormaliser();

  return (proof, expected, now = Date.now() / 1000) => {
    const parts = proof.length > MAX_PROOF_LENGTH ? null : COMPACT_JWS.exec(proof);
    if (!parts) return reject('dpop_proof_malformed', 'the DPoP header is not one compact JWS');
    const [, signed, encodedHeader, encodedPayload, encodedSignature] = parts as unknown as [string, string, string, string, string];
    const { alg, thumbprint, key } = headers.read(encodedHeader);
    const claims = decodeJsonObject(encodedPayload, 'dpop_proof_malformed', 'the proof payload is not a base64url JSON object');
    const { jti, htm, htu, iat, ath, nonce } = claims;
    if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH)
      reject('dpop_proof_malformed', `the proof "jti" is not a string of 1 to ${MAX_JTI_LENGTH} characters`);
    if (typeof iat !== 'number' || !Number.isFinite(iat)) reject('dpop_proof_malformed', 'the proof "iat" is not a number');
    if (nonce !== undefined && typeof nonce !== 'string') reject('dpop_proof_malformed', 'the proof "nonce" is not a string');
    if (htm !== expected.method) reject('dpop_htm_mismatch', `the proof "htm" ${JSON.stringify(htm)} is not ${expected.method}`);
    if (typeof htu !== 'string' || normalise(htu) !== expected.htu) reject('dpop_htu_mismatch', `the proof "htu" is not ${expected.htu}`);
    if ((iat as number) < now - maxAge - clockTolerance || (iat as number) > now + clockTolerance) {
      reject('dpop_iat_window', `the proof "iat" is ${Math.round(now - (iat as number))} s old; accepted: ${-clockTolerance} to ${maxAge + clockTolerance}`);
    }
    if (ath !== createHash('sha256').update(expected.accessToken).digest('base64url'))
      reject('dpop_ath_mismatch', 'the proof "ath" is not the hash of the access token');
    if (!verifyJwsSignature(alg, key, Buffer.from(signed), Buffer.from(encodedSignature, 'base64url'))) {
      reject('dpop_proof_signature', 'the proof signature does not verify');
    }
    return { thumbprint, jti: jti as string, iat: iat as number, nonce: nonce as string | undefined };
  };
}
