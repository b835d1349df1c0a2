import { createBoundedCache } from '../../src/support/bounded-cache.ts';
import type { BoundedCache } from '../../src/support/bounded-cache.ts';

/** A cache of capacity 2 holding a (set first) and b. */
function full(): BoundedCache<string, number> {
  const cache = createBoundedCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  return cache;
}

test('past its capacity the least recently used entry goes first', () => {
  const cache = full();
  expect(cache.get('a')).toBe(1);
  cache.set('c', 3);
  expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([1, undefined, 3]);
  expect(cache.size).toBe(2);
});

test('peek does not make an entry recently used; setting it again does', () => {
  const cache = full();
  expect(cache.peek('a')).toBe(1);
  cache.set('c', 3);
  expect(cache.peek('a')).toBeUndefined();
  cache.set('b', 20);
  cache.set('d', 4);
  expect([cache.peek('b'), cache.peek('c'), cache.peek('d')]).toEqual([20, undefined, 4]);
});

test('an entry is not returned from its expiry on, and is dropped when met', () => {
  const cache = createBoundedCache<string, string>(10);
  cache.set('token', 'verified', 100);
  cache.set('forever', 'kept');
  expect(cache.get('token', 99)).toBe('verified');
  expect(cache.get('token', 100)).toBeUndefined();
  expect(cache.peek('token')).toBeUndefined();
  expect(cache.get('forever', Number.MAX_SAFE_INTEGER)).toBe('kept');
  expect(cache.size).toBe(1);
});

test('delete forgets an entry and says whether it was held', () => {
  const cache = createBoundedCache<string, number>(3);
  cache.set('a', 1);
  expect(cache.delete('a')).toBe(true);
  expect(cache.delete('a')).toBe(false);
  expect(cache.get('a')).toBeUndefined();
});

test('a capacity that is not a whole number of at least 1 is refused', () => {
  expect(() => createBoundedCache(0)).toThrow('a bounded cache needs a capacity of at least 1, not 0');
  expect(() => createBoundedCache(1.5)).toThrow('a bounded cache needs a capacity of at least 1, not 1.5');
});
