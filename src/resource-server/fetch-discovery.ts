import { fetchJson } from './fetch-json.ts';
import type { FetchLike } from './fetch-json.ts';
import { isSecureUrl } from './secure-url.ts';

/** The part of the issuer's discovery document the kit uses. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly token_endpoint?: string;
  /** Tessera's revocation feed (see the README), when the issuer publishes one. */
  readonly revocation_feed_endpoint?: string;
}

/**
 * Where OpenID Connect Discovery 1.0 §4 puts the document: the issuer without a trailing `/`,
 * then the well-known path.
 *
 * @example
 * ```ts
 * discoveryUrl('https://id.example.com/'); // 'https://id.example.com/.well-known/openid-configuration'
 * ```
 */
export function discoveryUrl(authority: string): string {
  return `${authority.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** How {@link fetchDiscovery} fetches and what it accepts. */
export interface DiscoveryOptions {
  /** Time limit of the request, in milliseconds. */
  readonly timeout: number;
  /** Plain http to a non-loopback host is acceptable. */
  readonly allowInsecureHttp: boolean;
  /** A `jwks_uri` on another origin than the authority's is acceptable. */
  readonly allowForeignJwksUri: boolean;
}

/**
 * Fetches and checks the issuer's discovery document: its `issuer` must equal the authority
 * exactly (RFC 8414 §3.3, so a document cannot redirect trust to another issuer), and its
 * `jwks_uri` must be a URL the kit may fetch keys from, on the authority's own origin unless
 * `allowForeignJwksUri` says otherwise: a document altered on its way (a poisoned cache, a
 * forged `Host` reflected by a server) most likely points the keys elsewhere.
 *
 * @example
 * ```ts
 * const { jwks_uri } = await fetchDiscovery('https://id.example.com', fetch,
 *   { timeout: 5000, allowInsecureHttp: false, allowForeignJwksUri: false });
 * ```
 */
export async function fetchDiscovery(authority: string, fetchFn: FetchLike, options: DiscoveryOptions): Promise<IssuerMetadata> {
  const url = discoveryUrl(authority);
  const metadata = await fetchJson(fetchFn, url, options.timeout);
  if (metadata.issuer !== authority) throw new Error(`${url} names issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(authority)}`);
  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== 'string' || !isSecureUrl(jwksUri, options.allowInsecureHttp)) {
    throw new Error(`${url} has no usable jwks_uri (${JSON.stringify(jwksUri)})`);
  }
  const origin = new URL(authority).origin;
  if (!options.allowForeignJwksUri && new URL(jwksUri).origin !== origin) {
    throw new Error(
      `${url} names jwks_uri ${JSON.stringify(jwksUri)}, which is not on the authority's origin ${origin}; ` +
        'keys are fetched from another origin only with allowForeignJwksUri',
    );
  }
  const feed = metadata.revocation_feed_endpoint;
  if (feed !== undefined && (typeof feed !== 'string' || !isSecureUrl(feed, options.allowInsecureHttp))) {
    throw new Error(`${url} has an unusable revocation_feed_endpoint (${JSON.stringify(feed)})`);
  }
  return metadata as unknown as IssuerMetadata;
}
