import type { TokenRejectedError } from './token-rejected-error.ts';

/** What a refused request gets: status, headers and body (none for a request without a token). */
export interface BearerResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** The DPoP side of the challenge (RFC 9449 §7.1, §7.2). */
export interface DpopChallenge {
  /** The proof algorithms, space-separated, for `algs`. */
  readonly algs: string;
  /** Only DPoP is accepted: no Bearer challenge. */
  readonly required: boolean;
  /** The request used the DPoP scheme, so the DPoP challenge carries the error. */
  readonly attempted: boolean;
  /** Headers of every answer to a DPoP request (`DPoP-Nonce`). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The one place a {@link TokenRejectedError} becomes a response, for every middleware. A
 * request with no token gets the challenges alone and no body (RFC 6750 §3.1: no error
 * information); other refusals add `error` and `error_description` (and `scope` for
 * `insufficient_scope`) to the challenge of the scheme the request used and send them as a JSON
 * body. With `dpop`, a `DPoP` challenge with `algs` follows the `Bearer` one (or replaces it
 * when DPoP is required). A 503 (keys unavailable) is no challenge, so it has no
 * `WWW-Authenticate`. The reason never leaves.
 *
 * @example
 * ```ts
 * const { status, headers, body } = bearerResponse(err, 'orders');
 * // 401, { 'WWW-Authenticate': 'Bearer realm="orders", error="invalid_token", error_description="the access token is invalid"' }
 * ```
 */
export function bearerResponse(err: TokenRejectedError, realm: string, dpop?: DpopChallenge): BearerResponse {
  const { status, error, error_description: description, scope } = err;
  let details = '';
  if (error !== undefined) details += `, error="${error}", error_description="${description}"`;
  if (scope !== undefined) details += `, scope="${scope}"`;
  const onDpop = dpop !== undefined && (dpop.attempted || dpop.required);
  const challenges: string[] = [];
  if (!dpop?.required) challenges.push(`Bearer realm="${realm}"${onDpop ? '' : details}`);
  if (dpop) challenges.push(`DPoP realm="${realm}"${onDpop ? details : ''}, algs="${dpop.algs}"`);
  const headers: Record<string, string> = status === 503 ? {} : { 'WWW-Authenticate': challenges.join(', ') };
  if (dpop?.attempted) Object.assign(headers, dpop.headers);
  if (error === undefined) return { status, headers, body: undefined };
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return { status, headers, body: JSON.stringify({ error, error_description: description }) };
}
