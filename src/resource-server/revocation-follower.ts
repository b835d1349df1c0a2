import type { KeyObject } from 'node:crypto';

import { createFeedPageReader } from './feed-page-reader.ts';
import type { FetchLike } from './fetch-json.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink } from './kit-events.ts';
import { createRevocationList } from './revocation-list.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** Settings of the feed follower; durations in milliseconds. */
export interface FollowerOptions {
  readonly authority: string;
  readonly algorithms: readonly VerifyAlgorithm[];
  /** Where the feed is: resolved once (from discovery); undefined when the issuer publishes none. */
  readonly feedUrl: () => Promise<string | undefined>;
  readonly getKey: (alg: string, kid: string | undefined) => KeyObject | Promise<KeyObject>;
  readonly fetch: FetchLike;
  readonly timeout: number;
  readonly pollInterval: number;
  readonly maxStaleness: number;
  readonly emit: EventSink;
}

/** Follows the feed in the background and answers, without a network call, whether a token is revoked. */
export interface RevocationFollower {
  /** Throws `revoked`, or `revocations_unavailable` when the list is older than the settings allow. */
  check(claims: { readonly [claim: string]: unknown }): void | Promise<void>;
  /** Starts following (once); resolves after the first read, successful or not. */
  start(): Promise<void>;
  stop(): void;
  /** Entries held now. */
  readonly size: number;
}

/** Seconds the issuer's clock may be behind this one when a page's age is judged. */
const CLOCK_SKEW = 30;

/**
 * A follower of Tessera's revocation feed: reads it from cursor 0, then every `pollInterval`
 * from the last cursor. Each page must be signed by the issuer (`typ: revocation-feed+jwt`,
 * `iss` the authority), answer the cursor asked, and be neither older than the last page read
 * nor older than `maxStaleness + pollInterval` (plus 30 s of clock skew): a replayed page is
 * refused, so one recorded answer cannot hold the list still for longer than that. When reads fail, tokens are still accepted for `maxStaleness`
 * after the first failure, then refused with 503 until a read succeeds (`revocations.stale`,
 * then `revocations.recovered`).
 */
export function createRevocationFollower(options: FollowerOptions): RevocationFollower {
  const { authority, pollInterval, maxStaleness, emit } = options;
  const readPage = createFeedPageReader(options);
  const list = createRevocationList();
  let epoch: string | undefined;
  let cursor = 0;
  let lastIat = 0;
  let synced = false;
  let failingSince: number | undefined;
  let stale = false;
  let started: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unsupported = false;
  let url = '';

  async function poll(): Promise<void> {
    try {
      const found = await options.feedUrl();
      if (!found) {
        if (!unsupported) emit({ event: 'revocations.unsupported', uri: authority });
        unsupported = true;
        return;
      }
      url = found;
      let count = 0;
      for (let more = true; more; ) {
        const page = await readPage(url, cursor);
        if (page.iat < lastIat) throw new Error('the feed page is older than one already read (replayed)');
        if (Date.now() / 1000 - page.iat > (maxStaleness + pollInterval) / 1000 + CLOCK_SKEW)
          throw new Error(`the feed page was signed at ${page.iat}, too long ago (replayed)`);
        if (epoch !== undefined && page.epoch !== epoch && cursor !== 0) {
          // The log started afresh (its entries expired, or the store lost them): read it from the
          // start, keeping the entries held, which expire on their own.
          cursor = 0;
          epoch = page.epoch;
          continue;
        }
        epoch = page.epoch;
        if (page.cursor < cursor) throw new Error(`the feed went back from cursor ${cursor} to ${page.cursor}`);
        for (const entry of page.entries) list.apply(entry);
        count += page.entries.length;
        cursor = page.cursor;
        lastIat = page.iat;
        more = page.more;
      }
      list.purge(Math.floor(Date.now() / 1000));
      synced = true;
      failingSince = undefined;
      if (stale) emit({ event: 'revocations.recovered', uri: url });
      stale = false;
      if (count) emit({ event: 'revocations.synced', uri: url, entries: count, held: list.size, cursor });
    } catch (err) {
      failingSince ??= performance.now();
      emit({ event: 'revocations.fetch_failed', uri: url || authority, detail: (err as Error).message });
    }
  }

  function refuseWhenStale(): void {
    if (failingSince === undefined || performance.now() - failingSince < maxStaleness) return;
    if (!stale) emit({ event: 'revocations.stale', uri: url || authority, failing_for: Math.round((performance.now() - failingSince) / 1000) });
    stale = true;
    throw new TokenRejectedError('revocations_unavailable', `the revocation feed of ${authority} has not been read for too long`);
  }

  function start(): Promise<void> {
    started ??= poll().then(() => {
      // One poll at a time: a tick that finds one still running waits for the next.
      let polling = false;
      timer = setInterval(() => {
        if (polling) return;
        polling = true;
        void poll().finally(() => {
          polling = false;
        });
      }, pollInterval);
      timer.unref();
    });
    return started;
  }

  function checkNow(claims: { readonly [claim: string]: unknown }): void {
    if (unsupported) return;
    if (!synced) throw new TokenRejectedError('revocations_unavailable', `the revocation feed of ${authority} has not been read yet`);
    refuseWhenStale();
    if (list.covers(claims)) throw new TokenRejectedError('revoked', `token ${String(claims.jti)} is revoked`);
  }

  return {
    check(claims) {
      if (!started || (!synced && !unsupported)) return start().then(() => checkNow(claims));
      return checkNow(claims);
    },
    start,
    stop() {
      clearInterval(timer);
    },
    get size() {
      return list.size;
    },
  };
}
