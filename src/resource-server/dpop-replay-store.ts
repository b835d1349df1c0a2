import { TokenRejectedError } from './token-rejected-error.ts';

/**
 * Remembers DPoP proofs (by key thumbprint and `jti`) until they are too old to be accepted.
 * Contract: of any number of concurrent calls with the same `key`, exactly one returns true;
 * a store that cannot answer throws (the request gets 503, never a pass).
 */
export interface DpopReplayStore {
  /** True the first time `key` is seen; `expiresAt` (epoch seconds) is when it may be forgotten. */
  unique(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most proofs remembered at once; when all are still fresh, new proofs are refused (503). Default 100,000. */
  readonly maxEntries?: number;
  /** The clock, in epoch seconds. Default `Date.now() / 1000`. */
  readonly now?: () => number;
}

/**
 * A replay store in this process's memory: right for one instance, blind to replays at another
 * replica. Expired entries are dropped when the store is full; when `maxEntries` fresh proofs are
 * held, a new one is refused with `dpop_replay_store_unavailable` rather than forgetting one
 * that could then be replayed.
 *
 * @example
 * ```ts
 * koaBearerAuth({ verifier, dpop: { replayStore: createMemoryReplayStore({ maxEntries: 500_000 }) } });
 * ```
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): DpopReplayStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? (() => Date.now() / 1000);
  const seen = new Map<string, number>();
  // The earliest expiry held: a full store is swept (one pass) only once something can go.
  let earliest = Infinity;

  function sweep(time: number): void {
    if (time < earliest) return;
    earliest = Infinity;
    for (const [key, expiresAt] of seen) {
      if (expiresAt <= time) seen.delete(key);
      else earliest = Math.min(earliest, expiresAt);
    }
  }

  return {
    unique(key, expiresAt) {
      const time = now();
      const known = seen.get(key);
      if (known !== undefined && known > time) return false;
      if (seen.size >= maxEntries) sweep(time);
      if (seen.size >= maxEntries) throw new TokenRejectedError('dpop_replay_store_unavailable', `the replay store holds ${maxEntries} fresh proofs`);
      seen.set(key, expiresAt);
      earliest = Math.min(earliest, expiresAt);
      return true;
    },
  };
}
