import { TokenRejectedError } from './token-rejected-error.ts';

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, then one b64token. */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(?:\s|$)/i;

/**
 * The one bearer token of a request, per RFC 6750 §2: from the Authorization header, or from
 * the `access_token` query parameter when `allowQueryToken` is set (§2.3 discourages it: URLs
 * end up in logs). Another scheme (Basic, DPoP) counts as no bearer token. Throws a
 * {@link TokenRejectedError}: `missing_token`, `malformed_authorization`, `multiple_tokens`
 * (more than one token or more than one method) or `query_token_not_allowed`.
 *
 * @example
 * ```ts
 * extractBearerToken('bearer eyJhbGciOi...', '', false); // 'eyJhbGciOi...'
 * ```
 */
export function extractBearerToken(authorization: string | undefined, querystring: string, allowQueryToken: boolean): string {
  let fromHeader: string | undefined;
  if (authorization && BEARER_SCHEME.test(authorization)) {
    fromHeader = BEARER_CREDENTIALS.exec(authorization)?.[1];
    if (fromHeader === undefined)
      throw new TokenRejectedError('malformed_authorization', 'the Authorization header has the Bearer scheme but not exactly one b64token');
  }
  const fromQuery = querystring.includes('access_token') ? new URLSearchParams(querystring).getAll('access_token') : [];
  if (fromQuery.length + (fromHeader === undefined ? 0 : 1) > 1) {
    throw new TokenRejectedError(
      'multiple_tokens',
      fromHeader === undefined ? 'the query has more than one access_token' : 'a token is in both the Authorization header and the query',
    );
  }
  if (fromHeader !== undefined) return fromHeader;
  const [queryToken] = fromQuery;
  if (queryToken === undefined) throw new TokenRejectedError('missing_token', 'the request carries no bearer token');
  if (!allowQueryToken) throw new TokenRejectedError('query_token_not_allowed', 'the token is in the query, which this resource does not accept');
  return queryToken;
}
