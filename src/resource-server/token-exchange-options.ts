import type { FetchLike } from './fetch-json.ts';
import { ResourceServerConfigError } from './resource-server-config-error.ts';
import { isSecureUrl } from './secure-url.ts';
import type { TraceContext } from './trace-headers.ts';

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

/**
 * Checks the options of `createTokenExchange`, throwing one {@link ResourceServerConfigError}
 * that names every problem.
 *
 * @example
 * ```ts
 * checkExchangeOptions({ authority: 'https://id.example.com', clientId: 'orders-service', clientSecret });
 * ```
 */
export function checkExchangeOptions(options: TokenExchangeOptions): void {
  const problems: string[] = [];
  const insecure = options.allowInsecureHttp === true;
  if (typeof options.authority !== 'string' || !isSecureUrl(options.authority, insecure))
    problems.push('authority: must be the https URL of the issuer (http only on loopback or with allowInsecureHttp)');
  if (options.tokenEndpoint !== undefined && !isSecureUrl(options.tokenEndpoint, insecure)) problems.push('tokenEndpoint: must be an https URL');
  if (!options.clientId || !options.clientSecret) problems.push("clientId, clientSecret: this resource server's client credentials are required");
  for (const name of ['refreshBefore', 'maxEntries', 'timeout'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) problems.push(`${name}: must be a number ≥ 0`);
  }
  if (problems.length) throw new ResourceServerConfigError(problems);
}
