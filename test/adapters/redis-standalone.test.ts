import type { Cluster, Redis } from 'ioredis';

import { createRedisAdapter, createRedisClient } from '../../adapters/redis/index.ts';
import { redisKeys } from '../../adapters/redis/redis-keys.ts';
import { adapterContract, inspectedStoreContract } from './contract.ts';
import type { InspectedStore } from './contract.ts';

const prefix = `contract-${process.pid}:`;
const keys = redisKeys(prefix);
let redis: Redis | Cluster;

beforeAll(async () => {
  redis = createRedisClient({ kind: 'standalone', url: process.env.REDIS_URL!, commandTimeout: 2000 });
  await redis.connect();
});

afterAll(async () => {
  await redis.quit();
});

const store = (): InspectedStore => ({
  adapter: createRedisAdapter({ redis, prefix }),
  ttl: (model, id, grantId) => redis.pttl(grantId ? keys.member(grantId, model, id) : keys.entry(model, id)),
  size: async () => (await redis.keys(`${prefix}*`)).length,
});
adapterContract('Redis standalone', store);
inspectedStoreContract('Redis standalone', store);
