import { DPOP_REJECTIONS } from './dpop-rejections.ts';

/**
 * Why a request was refused, for operators. Clients never see the reason: they get the
 * RFC 6750 error of its row in {@link REJECTIONS}.
 */
export type RejectionReason =
  | 'missing_token'
  | 'multiple_tokens'
  | 'query_token_not_allowed'
  | 'malformed_authorization'
  | 'malformed'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_type'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'missing_claim'
  | 'invalid_claim'
  | 'expired'
  | 'not_yet_valid'
  | 'jwks_unavailable'
  | 'revoked'
  | 'revocations_unavailable'
  | 'insufficient_scope'
  | DpopRejectionReason;

/** Why a DPoP request (RFC 9449) was refused; see `dpop-rejections.ts`. */
export type DpopRejectionReason =
  | 'dpop_malformed_authorization'
  | 'dpop_required'
  | 'dpop_bound_token_as_bearer'
  | 'dpop_token_not_bound'
  | 'dpop_proof_missing'
  | 'dpop_proof_multiple'
  | 'dpop_proof_malformed'
  | 'dpop_proof_algorithm'
  | 'dpop_proof_key'
  | 'dpop_proof_signature'
  | 'dpop_htm_mismatch'
  | 'dpop_htu_mismatch'
  | 'dpop_ath_mismatch'
  | 'dpop_iat_window'
  | 'dpop_replayed'
  | 'dpop_key_mismatch'
  | 'dpop_nonce_missing'
  | 'dpop_nonce_invalid'
  | 'dpop_replay_store_unavailable';

/** The response a reason earns: HTTP status, RFC 6750 error code (none for a missing token) and description. */
export interface Rejection {
  readonly status: number;
  readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable' | 'invalid_dpop_proof' | 'use_dpop_nonce' | undefined;
  readonly description: string | undefined;
}

const INVALID_TOKEN: Rejection = { status: 401, error: 'invalid_token', description: 'the access token is invalid' };

/**
 * The one table from reason to client-facing error. Only expiry and revocation are told apart,
 * because the client can act on them (get a new token, sign in again); every other
 * token problem reads the same, so the response is no oracle for forgeries.
 */
export const REJECTIONS: Readonly<Record<RejectionReason, Rejection>> = {
  missing_token: { status: 401, error: undefined, description: undefined },
  multiple_tokens: { status: 400, error: 'invalid_request', description: 'the request carries more than one access token' },
  query_token_not_allowed: { status: 400, error: 'invalid_request', description: 'the access token must be sent in the Authorization header' },
  malformed_authorization: { status: 400, error: 'invalid_request', description: 'the Authorization header is not a valid Bearer credential' },
  malformed: INVALID_TOKEN,
  algorithm_not_allowed: INVALID_TOKEN,
  unknown_key: INVALID_TOKEN,
  bad_signature: INVALID_TOKEN,
  wrong_type: INVALID_TOKEN,
  issuer_mismatch: INVALID_TOKEN,
  audience_mismatch: INVALID_TOKEN,
  missing_claim: INVALID_TOKEN,
  invalid_claim: INVALID_TOKEN,
  not_yet_valid: INVALID_TOKEN,
  expired: { status: 401, error: 'invalid_token', description: 'the access token has expired' },
  revoked: { status: 401, error: 'invalid_token', description: 'the access token has been revoked' },
  revocations_unavailable: { status: 503, error: 'temporarily_unavailable', description: 'the access token cannot be verified now; try again later' },
  jwks_unavailable: { status: 503, error: 'temporarily_unavailable', description: 'the access token cannot be verified now; try again later' },
  insufficient_scope: { status: 403, error: 'insufficient_scope', description: 'the access token does not grant the scope this resource requires' },
  ...DPOP_REJECTIONS,
};
