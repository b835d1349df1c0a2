import type { DpopRejectionReason, Rejection } from './rejection-reasons.ts';

const INVALID_PROOF: Rejection = { status: 401, error: 'invalid_dpop_proof', description: 'the DPoP proof is invalid' };
const USE_NONCE: Rejection = { status: 401, error: 'use_dpop_nonce', description: 'the DPoP proof must carry the nonce of the DPoP-Nonce header' };

/**
 * The client-facing errors of DPoP refusals (RFC 9449 §7.1, §9). Like token problems, proof
 * problems read alike, except what a client can act on: a missing proof, a proof whose `iat`
 * is outside the window (its clock), a token sent with the wrong scheme, a missing nonce.
 */
export const DPOP_REJECTIONS: Readonly<Record<DpopRejectionReason, Rejection>> = {
  dpop_malformed_authorization: { status: 400, error: 'invalid_request', description: 'the Authorization header is not a valid DPoP credential' },
  dpop_required: { status: 401, error: 'invalid_token', description: 'this resource accepts only DPoP-bound access tokens sent with the DPoP scheme' },
  dpop_bound_token_as_bearer: {
    status: 401,
    error: 'invalid_token',
    description: 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof',
  },
  dpop_token_not_bound: { status: 401, error: 'invalid_token', description: 'the access token is not DPoP-bound; send it with the Bearer scheme' },
  dpop_proof_missing: { status: 401, error: 'invalid_dpop_proof', description: 'the request carries no DPoP proof' },
  dpop_proof_multiple: INVALID_PROOF,
  dpop_proof_malformed: INVALID_PROOF,
  dpop_proof_algorithm: INVALID_PROOF,
  dpop_proof_key: INVALID_PROOF,
  dpop_proof_signature: INVALID_PROOF,
  dpop_htm_mismatch: INVALID_PROOF,
  dpop_htu_mismatch: INVALID_PROOF,
  dpop_ath_mismatch: INVALID_PROOF,
  dpop_replayed: INVALID_PROOF,
  dpop_iat_window: { status: 401, error: 'invalid_dpop_proof', description: 'the DPoP proof is too old or too far in the future' },
  dpop_key_mismatch: { status: 401, error: 'invalid_token', description: 'the access token is not bound to the key of the DPoP proof' },
  dpop_nonce_missing: USE_NONCE,
  dpop_nonce_invalid: USE_NONCE,
  dpop_replay_store_unavailable: { status: 503, error: 'temporarily_unavailable', description: 'the DPoP proof cannot be checked now; try again later' },
};
