import type { KeyObject } from 'node:crypto';

import { readFeedPage } from './feed-page.ts';
import type { FeedPage } from './feed-page.ts';
import type { FetchLike } from './fetch-json.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { createJwtCore } from './jwt-core.ts';

/** What reading a feed page needs. */
export interface FeedPageReaderOptions {
  readonly authority: string;
  readonly algorithms: readonly VerifyAlgorithm[];
  /** The issuer's key for a header's `alg` and `kid`, as tokens are verified. */
  readonly getKey: (alg: string, kid: string | undefined) => KeyObject | Promise<KeyObject>;
  readonly fetch: FetchLike;
  /** Time limit of one request, in milliseconds. */
  readonly timeout: number;
}

const FEED_TYPE = 'revocation-feed+jwt';

/**
 * Reads one page of the revocation feed: `GET <url>?since=<cursor>`, a JWT signed by the issuer
 * (`typ: revocation-feed+jwt`, `iss` the authority), verified by the kit's JWT core with the
 * issuer's keys, its claims checked by {@link readFeedPage}. Rejects with an Error saying what is wrong.
 *
 * @example
 * ```ts
 * const readPage = createFeedPageReader({ authority, algorithms, getKey, fetch, timeout: 5000 });
 * const page = await readPage('https://id.example.com/revocations', 0);
 * ```
 */
export function createFeedPageReader(options: FeedPageReaderOptions): (url: string, since: number) => Promise<FeedPage> {
  const { authority, algorithms, getKey, fetch, timeout } = options;
  const core = createJwtCore({ issuer: authority, typ: FEED_TYPE, algorithms, requiredClaims: [], clockTolerance: 0 });
  return async (url, since) => {
    const response = await fetch(`${url}?since=${since}`, {
      headers: { accept: `application/${FEED_TYPE}` },
      redirect: 'error',
      signal: AbortSignal.timeout(timeout),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`${url} answered HTTP ${response.status}`);
    }
    const jwt = core.decode(await response.text());
    const claims = core.finish(jwt, await getKey(jwt.alg, jwt.kid), Math.floor(Date.now() / 1000));
    return readFeedPage(claims, since);
  };
}
