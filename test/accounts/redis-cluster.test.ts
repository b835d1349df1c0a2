import { createLoginThrottle } from '../../src/accounts/login-throttle.ts';
import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { userStoreContract } from './user-store-contract.ts';

let cluster: RedisCluster;
let run = 0;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster.stop());

userStoreContract('Redis Cluster', async () => {
  const prefix = `test-accounts-cluster:${++run}:`;
  return {
    store: createRedisUserStore({ redis: cluster.client, prefix, hashing: { N: 2 ** 10 } }),
    stored: async () => (await cluster.keys(`${prefix}*`)).length,
  };
});

test('the login throttle works on a Redis Cluster', async () => {
  const throttle = createLoginThrottle({ redis: cluster.client, prefix: 'test-accounts-cluster-throttle:',
    limits: { username: { freeFailures: 1, baseDelay: 5, maxDelay: 60, window: 600 } } });
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  expect((await throttle.recordFailure(attempt)).decision).toEqual({ allowed: true });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 2, ip: 2 }, decision: { allowed: false, retryAfter: 5, lockedBy: ['username'] } });
  await throttle.recordSuccess(attempt);
  expect(await throttle.check(attempt)).toEqual({ allowed: true });
});
