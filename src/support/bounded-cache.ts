/**
 * A map in this process's memory that holds at most `capacity` entries: the least recently used
 * entry goes first when a new one would pass the bound. An entry may carry an expiry (in the
 * caller's clock, passed to `get`); an expired entry is never returned and is dropped when met.
 * The one bounded cache of the provider side: what a request can add to must not grow without end.
 */
export interface BoundedCache<K, V> {
  /** The value of `key`, made the most recently used; undefined when absent or expired at `now`. */
  get(key: K, now?: number): V | undefined;
  /** The value of `key` as it is, without touching its recency or its expiry. */
  peek(key: K): V | undefined;
  /** Sets `key` as the most recently used, until `expiresAt` (never, without it); evicts past the bound. */
  set(key: K, value: V, expiresAt?: number): void;
  /** Forgets `key`; whether it was held. */
  delete(key: K): boolean;
  /** Entries held now, expired ones not yet met included. */
  readonly size: number;
}

interface Held<V> {
  readonly value: V;
  readonly expiresAt: number | undefined;
}

/**
 * Creates a {@link BoundedCache}; throws when `capacity` is not a whole number of at least 1.
 *
 * @example
 * const narrowed = createBoundedCache<string, ResourceServer>(1000);
 * narrowed.set(key, info);
 */
export function createBoundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a bounded cache needs a capacity of at least 1, not ${capacity}`);
  const entries = new Map<K, Held<V>>();
  return {
    get(key, now) {
      const held = entries.get(key);
      if (!held) return undefined;
      entries.delete(key);
      if (held.expiresAt !== undefined && now !== undefined && held.expiresAt <= now) return undefined;
      entries.set(key, held);
      return held.value;
    },
    peek: (key) => entries.get(key)?.value,
    set(key, value, expiresAt) {
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    delete: (key) => entries.delete(key),
    get size() {
      return entries.size;
    },
  };
}
