import { fetchDiscovery } from './fetch-discovery.ts';
import type { IssuerMetadata } from './fetch-discovery.ts';
import { fetchJson } from './fetch-json.ts';
import type { FetchLike } from './fetch-json.ts';
import { buildKeySet } from './key-set.ts';
import type { KeySet } from './key-set.ts';
import type { KeySource } from './key-source.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink } from './kit-events.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** Settings of the online key source; all durations in milliseconds. */
export interface RemoteKeySourceOptions {
  readonly authority: string;
  readonly algorithms: readonly VerifyAlgorithm[];
  readonly cooldown: number;
  readonly maxAge: number;
  readonly timeout: number;
  readonly allowInsecureHttp: boolean;
  /** A discovered `jwks_uri` may be on another origin than the authority's. */
  readonly allowForeignJwksUri: boolean;
  readonly fetch: FetchLike;
  readonly emit: EventSink;
  /** The issuer's discovery document, when it is shared with others (the revocation feed); fetched here otherwise. */
  readonly discover?: () => Promise<IssuerMetadata>;
}

/**
 * The issuer's keys: `jwks_uri` is discovered once, the JWKS is fetched on first use and kept.
 * Any fetch starts at most once per `cooldown` (failed ones too), and concurrent callers share
 * it, so a flood of tokens with unknown `kid`s costs the issuer one request per window. A set
 * older than `maxAge` (or the JWKS response's shorter `Cache-Control: max-age`, which Tessera
 * keeps shorter than the time a new key is published before it signs) is refreshed in the
 * background while the current one keeps serving, so keys removed by the issuer stop being
 * trusted without any request waiting on the network.
 *
 * @example
 * ```ts
 * const source = createRemoteKeySource({ authority, algorithms: ['ES256'], cooldown: 30_000, maxAge: 600_000,
 *   timeout: 5000, allowInsecureHttp: false, allowForeignJwksUri: false, fetch, emit: () => {} });
 * ```
 */
export function createRemoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const { authority, algorithms, cooldown, maxAge, timeout, allowInsecureHttp, allowForeignJwksUri, fetch, emit } = options;
  let jwksUri: string | undefined;
  let keys: KeySet | undefined;
  let loadedAt = 0;
  /** The configured maxAge, or the JWKS response's shorter Cache-Control max-age. */
  let freshFor = maxAge;
  let startedAt = -Infinity;
  let inflight: Promise<KeySet | undefined> | undefined;
  let lastFailure: unknown;

  async function fetchKeys(): Promise<KeySet | undefined> {
    startedAt = performance.now();
    try {
      jwksUri ??= (await (options.discover?.() ?? fetchDiscovery(authority, fetch, { timeout, allowInsecureHttp, allowForeignJwksUri }))).jwks_uri;
      let served: number | undefined;
      const jwks = await fetchJson(fetch, jwksUri, timeout, (headers) => {
        served = cacheMaxAge(headers.get('cache-control'));
      });
      if (!Array.isArray(jwks.keys)) throw new Error(`${jwksUri} is not a JWK Set (no "keys" array)`);
      keys = buildKeySet({ keys: jwks.keys }, algorithms, emit);
      loadedAt = performance.now();
      freshFor = served === undefined ? maxAge : Math.min(maxAge, served);
      emit({ event: 'jwks.fetched', uri: jwksUri, keys: keys.size });
      return keys;
    } catch (err) {
      lastFailure = err;
      emit({ event: 'jwks.fetch_failed', uri: jwksUri ?? authority, detail: (err as Error).message });
      return undefined;
    } finally {
      inflight = undefined;
    }
  }

  function refetch(): Promise<KeySet | undefined> {
    if (inflight) return inflight;
    if (performance.now() - startedAt < cooldown) return Promise.resolve(undefined);
    inflight = fetchKeys();
    return inflight;
  }

  return {
    current() {
      if (keys && performance.now() - loadedAt > freshFor) void refetch();
      return keys;
    },
    async load() {
      const loaded = keys ?? (await refetch());
      if (loaded) return loaded;
      const why = (lastFailure as Error | undefined)?.message ?? 'not fetched';
      throw new TokenRejectedError('jwks_unavailable', `no keys from ${jwksUri ?? authority} yet: ${why}`, { cause: lastFailure });
    },
    refetch,
  };
}

/** Milliseconds of a Cache-Control `max-age`, or undefined; `no-cache`/`no-store` count as 0. */
function cacheMaxAge(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/\bno-(?:cache|store)\b/i.test(header)) return 0;
  const match = /\bmax-age=(\d+)/i.exec(header);
  return match ? Number(match[1]) * 1000 : undefined;
}
