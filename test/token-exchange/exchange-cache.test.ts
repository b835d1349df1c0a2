import { createExchangeCache } from '../../src/resource-server/exchange-cache.ts';

test('a value is served until it is no longer fresh, then loaded again', async () => {
  let clock = 1000;
  const cache = createExchangeCache<{ until: number }>(
    (v) => v.until,
    10,
    () => clock,
  );
  let loads = 0;
  const load = async () => ({ until: 1000 + 100 * ++loads });
  expect(await cache.get('k', load)).toEqual({ until: 1100 });
  clock = 1099;
  expect(await cache.get('k', load)).toEqual({ until: 1100 });
  clock = 1100;
  expect(await cache.get('k', load)).toEqual({ until: 1200 });
  expect(loads).toBe(2);
});

test('a value that is already stale is not kept, nor is a failure', async () => {
  const cache = createExchangeCache<number>(
    (v) => v,
    10,
    () => 1000,
  );
  expect(await cache.get('stale', async () => 1000)).toBe(1000);
  expect(cache.size).toBe(0);
  await expect(
    cache.get('fail', async () => {
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  expect(await cache.get('fail', async () => 2000)).toBe(2000);
  expect(cache.size).toBe(1);
});

test('beyond maxEntries the oldest entries go', async () => {
  const cache = createExchangeCache<number>(
    () => 5000,
    2,
    () => 1000,
  );
  for (const key of ['a', 'b', 'c']) await cache.get(key, async () => 1);
  expect(cache.size).toBe(2);
  let reloaded = false;
  await cache.get('a', async () => {
    reloaded = true;
    return 1;
  });
  expect(reloaded).toBe(true);
});
