/** A map that holds at most a fixed number of entries, dropping the oldest written first. */
export interface BoundedMap<K, V> {
  get(key: K): V | undefined;
  /** Writes `key` as the newest entry, then drops the oldest while more than the bound are held. */
  set(key: K, value: V): void;
  delete(key: K): void;
  readonly size: number;
}

/**
 * The kit's one bounded cache (it depends on nothing of the provider side): a `Map` in write
 * order, so memory stays bounded whatever a client sends.
 *
 * @example
 * ```ts
 * const headers = createBoundedMap<string, ProofHeader>(1000);
 * headers.set(encoded, parsed);
 * ```
 */
export function createBoundedMap<K, V>(maxEntries: number): BoundedMap<K, V> {
  const entries = new Map<K, V>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size <= maxEntries) return;
      for (const [oldest] of entries) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
