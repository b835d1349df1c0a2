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

/**
 * Fetches and checks the issuer's discovery document: its `issuer` must equal the authority
 * exactly (RFC 8414 §3.3, so a document cannot redirect trust to another issuer), and its
 * `jwks_uri` must be a URL the kit may fetch keys from.
 *
 * @example
 * ```ts
 * const { jwks_uri } = await fetchDiscovery('https://id.example.com', fetch, 5000, false);
 * ```
 */
export async function fetchDiscovery(authority: string, fetchFn: FetchLike, timeout: number, allowInsecureHttp: boolean): Promise<IssuerMetadata> {
  const url = discoveryUrl(authority);
  const metadata = await fetchJson(fetchFn, url, timeout);
  if (metadata.issuer !== authority) throw new Error(`${url} names issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(authority)}`);
  if (typeof metadata.jwks_uri !== 'string' || !isSecureUrl(metadata.jwks_uri, allowInsecureHttp)) {
    throw new Error(`${url} has no usable jwks_uri (${JSON.stringify(metadata.jwks_uri)})`);
  }
  const feed = metadata.revocation_feed_endpoint;
  if (feed !== undefined && (typeof feed !== 'string' || !isSecureUrl(feed, allowInsecureHttp))) {
    throw new Error(`${url} has an unusable revocation_feed_endpoint (${JSON.stringify(feed)})`);
  }
  return metadata as unknown as IssuerMetadata;
}
