import { createHash } from 'node:crypto';

import { createExchangeCache } from './exchange-cache.ts';
import { fetchDiscovery } from './fetch-discovery.ts';
import { isSecureUrl } from './secure-url.ts';
import { TokenExchangeError } from './token-exchange-error.ts';
import { checkExchangeOptions } from './token-exchange-options.ts';
import type { ExchangedToken, ExchangeRequest, TokenExchangeOptions } from './token-exchange-options.ts';
import { traceHeaders } from './trace-headers.ts';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** Exchanges tokens; see {@link createTokenExchange}. */
export interface TokenExchange {
  /** The exchanged token, from the cache while it is fresh; rejects with a {@link TokenExchangeError}. */
  exchange(request: ExchangeRequest): Promise<ExchangedToken>;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * A client of Tessera's token-exchange grant for a resource server that calls another one:
 * it trades the token it received for one with the other audience and a narrower scope.
 * Exchanged tokens are cached, keyed by a hash of the subject token with the audience and
 * scope, until `refreshBefore` seconds before they expire; failures are never cached.
 *
 * @example
 * ```ts
 * const exchanger = createTokenExchange({ authority: 'https://id.example.com', clientId: 'orders-service', clientSecret });
 * const { accessToken } = await exchanger.exchange({ subjectToken, audience: 'payments', scope: 'payments' });
 * await fetch('https://payments.example.com/charge', { headers: { authorization: `Bearer ${accessToken}` } });
 * ```
 */
export function createTokenExchange(options: TokenExchangeOptions): TokenExchange {
  checkExchangeOptions(options);
  const fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  const timeout = (options.timeout ?? 5) * 1000;
  const refreshBefore = (options.refreshBefore ?? 30) * 1000;
  const authorization = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64')}`;
  const cache = createExchangeCache<ExchangedToken>((token) => token.expiresAt * 1000 - refreshBefore, options.maxEntries ?? 10_000);
  let endpoint: Promise<string> | undefined = options.tokenEndpoint === undefined ? undefined : Promise.resolve(options.tokenEndpoint);

  function tokenEndpoint(): Promise<string> {
    // Only the token endpoint is used here, never the keys: where jwks_uri points is not this client's concern.
    endpoint ??= fetchDiscovery(options.authority, fetchFn, { timeout, allowInsecureHttp: options.allowInsecureHttp === true, allowForeignJwksUri: true })
      .then((metadata) => {
        if (typeof metadata.token_endpoint !== 'string' || !isSecureUrl(metadata.token_endpoint, options.allowInsecureHttp === true)) {
          throw new Error(`the discovery document of ${options.authority} names no usable token_endpoint`);
        }
        return metadata.token_endpoint;
      })
      .catch((err: unknown) => {
        endpoint = undefined;
        throw err;
      });
    return endpoint;
  }

  async function request({ subjectToken, audience, scope, traceContext }: ExchangeRequest): Promise<ExchangedToken> {
    let response: Response;
    let body: Record<string, unknown> | undefined;
    try {
      response = await fetchFn(await tokenEndpoint(), {
        method: 'POST',
        redirect: 'error',
        signal: AbortSignal.timeout(timeout),
        headers: { ...(await traceHeaders(traceContext)), authorization, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: GRANT,
          subject_token: subjectToken,
          subject_token_type: ACCESS_TOKEN_TYPE,
          audience,
          ...(scope === undefined ? {} : { scope }),
        }).toString(),
      });
      body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    } catch (err) {
      throw new TokenExchangeError('temporarily_unavailable', 'the token endpoint could not be reached', undefined, { cause: err });
    }
    if (response.status !== 200 || typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      if (typeof body?.error === 'string') {
        throw new TokenExchangeError(body.error, typeof body.error_description === 'string' ? body.error_description : undefined, response.status);
      }
      throw new TokenExchangeError('temporarily_unavailable', `the token endpoint answered HTTP ${response.status} without a token`, response.status);
    }
    return {
      accessToken: body.access_token,
      tokenType: String(body.token_type ?? 'Bearer'),
      issuedTokenType: String(body.issued_token_type ?? ACCESS_TOKEN_TYPE),
      scope: typeof body.scope === 'string' ? body.scope : undefined,
      expiresAt: Math.floor(Date.now() / 1000) + body.expires_in,
    };
  }

  return {
    exchange(ask) {
      const subject = createHash('sha256').update(ask.subjectToken).digest('base64url');
      const scope = ask.scope === undefined ? '*' : [...new Set(ask.scope.split(' ').filter(Boolean))].sort().join(' ');
      return cache.get(`${subject} ${ask.audience} ${scope}`, () => request(ask));
    },
  };
}
