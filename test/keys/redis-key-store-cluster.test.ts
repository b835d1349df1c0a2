import { randomBytes } from 'node:crypto';

import { redisKeyStore } from '../../src/keys/redis-key-store.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { keyStoreContract } from './support/key-store-contract.ts';

const kek = randomBytes(32);
let cluster: RedisCluster;
let run = 0;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster.stop());

keyStoreContract('Redis Cluster', async () => {
  const prefix = `test-key-store-cluster:${++run}:`;
  const second = cluster.client.duplicate();
  return {
    store: redisKeyStore({ redis: cluster.client, prefix, encryptionKey: kek }),
    other: redisKeyStore({ redis: second, prefix, encryptionKey: kek }),
    close: async () => {
      await second.quit();
    },
  };
});
