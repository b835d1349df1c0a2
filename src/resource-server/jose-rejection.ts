import type { RejectionReason } from './rejection-reasons.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

interface JoseFailure {
  readonly code?: unknown;
  readonly claim?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

const BY_CODE: Readonly<Record<string, RejectionReason>> = {
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
  ERR_JOSE_NOT_SUPPORTED: 'malformed',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm_not_allowed',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
  ERR_JWT_EXPIRED: 'expired',
};

const BY_CLAIM: Readonly<Record<string, RejectionReason>> = {
  typ: 'wrong_type',
  iss: 'issuer_mismatch',
  aud: 'audience_mismatch',
  nbf: 'not_yet_valid',
};

function reasonOf(failure: JoseFailure): RejectionReason | undefined {
  if (typeof failure.code !== 'string') return undefined;
  if (failure.code !== 'ERR_JWT_CLAIM_VALIDATION_FAILED') return BY_CODE[failure.code];
  if (failure.reason === 'missing') return 'missing_claim';
  if (failure.reason === 'invalid') return 'invalid_claim';
  return BY_CLAIM[String(failure.claim)] ?? 'invalid_claim';
}

/**
 * Turns what `jwtVerify` threw into a {@link TokenRejectedError} with its reason; the jose
 * error stays as the `cause`. Errors that are not jose's (a bug) are returned unchanged.
 *
 * @example
 * ```ts
 * try { await jwtVerify(token, key, options); } catch (err) { throw fromJoseError(err); }
 * ```
 */
export function fromJoseError(thrown: unknown): unknown {
  if (thrown instanceof TokenRejectedError) return thrown;
  const failure = (thrown ?? {}) as JoseFailure;
  const reason = reasonOf(failure);
  if (!reason) return thrown;
  return new TokenRejectedError(reason, String(failure.message), { cause: thrown });
}
