import { createBoundedMap } from './bounded-map.ts';

/** A cache of exchanged tokens, each kept until shortly before it expires. */
export interface ExchangeCache<T> {
  /**
   * The cached value of `key` if it is still fresh; otherwise runs `load` (once for concurrent
   * callers of the same key) and keeps its result until `expiresAt(result)`. A failed load is
   * never kept.
   */
  get(key: string, load: () => Promise<T>): Promise<T>;
  readonly size: number;
}

/**
 * @param freshUntil When a result stops being served (ms since the epoch); at or before now it is not kept.
 * @param maxEntries The most results kept; the oldest go first.
 */
export function createExchangeCache<T>(freshUntil: (value: T) => number, maxEntries: number, now: () => number = Date.now): ExchangeCache<T> {
  const entries = createBoundedMap<string, { value: T; until: number }>(maxEntries);
  const loading = new Map<string, Promise<T>>();

  function keep(key: string, value: T): void {
    const until = freshUntil(value);
    if (until <= now()) return;
    entries.set(key, { value, until });
  }

  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.until > now()) return Promise.resolve(entry.value);
      if (entry) entries.delete(key);
      let pending = loading.get(key);
      if (!pending) {
        pending = load()
          .then((value) => {
            keep(key, value);
            return value;
          })
          .finally(() => loading.delete(key));
        loading.set(key, pending);
      }
      return pending;
    },
    get size() {
      return entries.size;
    },
  };
}
