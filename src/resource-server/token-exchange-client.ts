import { createHash } from 'node:crypto';

import { createExchangeCache } from './exchange-cache.ts';
import { fetchDiscovery } from './fetch-discovery.ts';
import type { FetchLike } from './fetch-json.ts';
import { ResourceServerConfigError } from './resource-server-config-error.ts';
import { isSecureUrl } from './secure-url.ts';
import { TokenExchangeError } from './token-exchange-error.ts';
import { traceHeaders } from './trace-headers.ts';
import type { TraceContext } from './trace-headers.ts';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** How a resource server exchanges the tokens it receives at Tessera (RFC 8693). Durations in seconds. */
export interface TokenExchangeOptions {
  /** The issuer; its discovery document names the token endpoint. */
  readonly authority: string;
  /** The token endpoint, to skip discovery. */
  readonly tokenEndpoint?: string;
  /** This resource server's own client, with a `token_exchange` policy at Tessera. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** How long before expiry a cached token is no longer handed out. Default 30. */
  readonly refreshBefore?: number;
  /** The most exchanged tokens kept. Default 10000. */
  readonly maxEntries?: number;
  /** Time limit of one request to Tessera. Default 5. */
  readonly timeout?: number;
  /** Allow plain http to a non-loopback authority (never in production). Default false. */
  readonly allowInsecureHttp?: boolean;
  /** The fetch implementation. Default the global `fetch`. */
  readonly fetch?: FetchLike;
}

/** What to exchange for what. */
export interface ExchangeRequest {
  /** The access token this resource server received. */
  readonly subjectToken: string;
  /** The `aud` the new token is for. */
  readonly audience: string;
  /** The scope it should carry (space-separated); default all that Tessera's policy allows. */
  readonly scope?: string;
  /**
   * The caller's W3C trace context, passed to Tessera so the exchange joins the caller's trace.
   * Without it the active OpenTelemetry context is passed, when `@opentelemetry/api` is installed.
   */
  readonly traceContext?: TraceContext;
}

/** A token from the exchange. */
export interface ExchangedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly issuedTokenType: string;
  readonly scope: string | undefined;
  /** Expiry, in seconds since the epoch. */
  readonly expiresAt: number;
}

/** Exchanges tokens; see {@link createTokenExchange}. */
export interface TokenExchange {
  /** The exchanged token, from the cache while it is fresh; rejects with a {@link TokenExchangeError}. */
  exchange(request: ExchangeRequest): Promise<ExchangedToken>;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function checkOptions(options: TokenExchangeOptions): void {
  const problems: string[] = [];
  const insecure = options.allowInsecureHttp === true;
  if (typeof options.authority !== 'string' || !isSecureUrl(options.authority, insecure)) problems.push('authority: must be the https URL of the issuer (http only on loopback or with allowInsecureHttp)');
  if (options.tokenEndpoint !== undefined && !isSecureUrl(options.tokenEndpoint, insecure)) problems.push('tokenEndpoint: must be an https URL');
  if (!options.clientId || !options.clientSecret) problems.push('clientId, clientSecret: this resource server\'s client credentials are required');
  for (const name of ['refreshBefore', 'maxEntries', 'timeout'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) problems.push(`${name}: must be a number ≥ 0`);
  }
  if (problems.length) throw new ResourceServerConfigError(problems);
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
  checkOptions(options);
  const fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  const timeout = (options.timeout ?? 5) * 1000;
  const refreshBefore = (options.refreshBefore ?? 30) * 1000;
  const authorization = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64')}`;
  const cache = createExchangeCache<ExchangedToken>((token) => token.expiresAt * 1000 - refreshBefore, options.maxEntries ?? 10_000);
  let endpoint: Promise<string> | undefined = options.tokenEndpoint === undefined ? undefined : Promise.resolve(options.tokenEndpoint);

  function tokenEndpoint(): Promise<string> {
    // Only the token endpoint is used here, never the keys: where jwks_uri points is not this client's concern.
    endpoint ??= fetchDiscovery(options.authority, fetchFn,
      { timeout, allowInsecureHttp: options.allowInsecureHttp === true, allowForeignJwksUri: true }).then((metadata) => {
      if (typeof metadata.token_endpoint !== 'string' || !isSecureUrl(metadata.token_endpoint, options.allowInsecureHttp === true)) {
        throw new Error(`the discovery document of ${options.authority} names no usable token_endpoint`);
      }
      return metadata.token_endpoint;
    }).catch((err: unknown) => {
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
        method: 'POST', redirect: 'error', signal: AbortSignal.timeout(timeout),
        headers: { ...await traceHeaders(traceContext), authorization, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: GRANT, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE,
          audience, ...(scope === undefined ? {} : { scope }) }).toString(),
      });
      body = await response.json().catch(() => undefined) as Record<string, unknown> | undefined;
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
