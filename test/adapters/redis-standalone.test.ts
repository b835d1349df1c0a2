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

test('a record outside a grant family is found in one round trip, a family member in two', async () => {
  const own = `round-trips-${process.pid}:`;
  const Adapter = createRedisAdapter({ redis, prefix: own });
  await new Adapter('AccessTokenGrant').upsert('jti-1', { grant: 'g-1', accountId: 'a-1', scope: 'openid' }, 60);
  await new Adapter('RefreshToken').upsert('rt-1', { grantId: 'g-1', kind: 'RefreshToken' }, 60);
  const monitor = await (redis as Redis).duplicate().monitor();
  const commands: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args.some((arg) => arg.startsWith(own))) commands.push(args[0]!.toLowerCase());
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await new Adapter('AccessTokenGrant').find('jti-1')).toEqual({ grant: 'g-1', accountId: 'a-1', scope: 'openid' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(commands).toEqual(['mget']);
    commands.length = 0;
    expect(await new Adapter('RefreshToken').find('rt-1')).toEqual({ grantId: 'g-1', kind: 'RefreshToken' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(commands).toEqual(['mget', 'mget']);
  } finally {
    monitor.disconnect();
  }
});
