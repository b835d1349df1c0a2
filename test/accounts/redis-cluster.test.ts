import { setTimeout as sleep } from 'node:timers/promises';

import { createLoginThrottle } from '../../src/accounts/login-throttle.ts';
import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { loginThrottleContract } from './login-throttle-contract.ts';
import { userStoreContract } from './user-store-contract.ts';

let cluster: RedisCluster;
let run = 0;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster.stop());

userStoreContract('Redis Cluster', async (options) => {
  const prefix = `test-accounts-cluster:${++run}:`;
  return {
    store: createRedisUserStore({ redis: cluster.client, prefix, hashing: { N: 2 ** 10 }, ...options }),
    stored: async () => (await cluster.keys(`${prefix}*`)).length,
  };
});

loginThrottleContract('Redis Cluster', async ({ limits, lease }) => ({
  throttle: createLoginThrottle({ redis: cluster.client, prefix: `test-accounts-cluster-throttle:${++run}:`, limits, ...(lease ? { lease } : {}) }),
  advance: (ms) => sleep(ms),
}));
