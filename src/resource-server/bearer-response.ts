import type { TokenRejectedError } from './token-rejected-error.ts';

/** What a refused request gets: status, headers and body (none for a request without a token). */
export interface BearerResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * The one place a {@link TokenRejectedError} becomes a response, for every middleware. A
 * request with no token gets `WWW-Authenticate: Bearer realm="…"` alone and no body (RFC 6750
 * §3.1: no error information); other refusals add `error` and `error_description` (and `scope`
 * for `insufficient_scope`) to the challenge and send them as a JSON body. A 503 (keys
 * unavailable) is no challenge, so it has no `WWW-Authenticate`. The reason never leaves.
 *
 * @example
 * ```ts
 * const { status, headers, body } = bearerResponse(err, 'orders');
 * // 401, { 'WWW-Authenticate': 'Bearer realm="orders", error="invalid_token", error_description="the access token is invalid"' }
 * ```
 */
export function bearerResponse(err: TokenRejectedError, realm: string): BearerResponse {
  const { status, error, error_description: description, scope } = err;
  let challenge = `Bearer realm="${realm}"`;
  if (error !== undefined) challenge += `, error="${error}", error_description="${description}"`;
  if (scope !== undefined) challenge += `, scope="${scope}"`;
  const headers: Record<string, string> = status === 503 ? {} : { 'WWW-Authenticate': challenge };
  if (error === undefined) return { status, headers, body: undefined };
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return { status, headers, body: JSON.stringify({ error, error_description: description }) };
}
