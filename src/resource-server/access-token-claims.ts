import { TokenRejectedError } from './token-rejected-error.ts';

/** The claims of a verified RFC 9068 access token, as Tessera issues them. */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly client_id: string;
  /** Granted scopes, space-separated (RFC 8693 §4.2); absent when none were granted. */
  readonly scope?: string;
  readonly nbf?: number;
  readonly auth_time?: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
  /** The acting party of a delegated (token-exchanged) token (RFC 8693 §4.1). */
  readonly act?: { readonly sub: string; readonly [claim: string]: unknown };
  /** The key a DPoP-bound token is bound to (RFC 9449 §6.1): `jkt`, its RFC 7638 thumbprint. */
  readonly cnf?: { readonly jkt?: string; readonly [member: string]: unknown };
  readonly [claim: string]: unknown;
}

const STRING_CLAIMS = ['sub', 'client_id', 'jti'] as const;

/**
 * The RFC 9068 checks beyond those of `checkClaims`: string claims are strings, `scope` (if present) is a
 * string, and `iat` is not in the future beyond the clock tolerance.
 *
 * @example
 * ```ts
 * const claims = toAccessTokenClaims(payload, 5, Math.floor(Date.now() / 1000));
 * ```
 */
export function toAccessTokenClaims(payload: Readonly<Record<string, unknown>>, clockTolerance: number, now: number): AccessTokenClaims {
  for (const claim of STRING_CLAIMS) {
    if (typeof payload[claim] !== 'string') throw new TokenRejectedError('invalid_claim', `"${claim}" claim must be a string`);
  }
  if (payload.scope !== undefined && typeof payload.scope !== 'string') {
    throw new TokenRejectedError('invalid_claim', '"scope" claim must be a space-separated string');
  }
  if ((payload.iat as number) > now + clockTolerance) {
    throw new TokenRejectedError('not_yet_valid', '"iat" claim is in the future');
  }
  return payload as AccessTokenClaims;
}
