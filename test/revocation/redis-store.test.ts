import type { Cluster, Redis } from 'ioredis';

import { createRedisClient } from '../../adapters/redis/index.ts';
import { createRedisRevocationStore, revocationKeys } from '../../src/revocation/redis-revocation-store.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import { startSentinel } from '../support/redis-sentinel.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { storeContract } from './store-contract.ts';

let standalone: Redis | Cluster;
let cluster: RedisCluster;
let clustered: Redis | Cluster;
let sentinel: Awaited<ReturnType<typeof startSentinel>>;
let sentinelled: Redis | Cluster;
let run = 0;

beforeAll(async () => {
  standalone = createRedisClient({ kind: 'standalone', url: process.env.REDIS_URL!, commandTimeout: 2000 });
  await standalone.connect();
  cluster = await startRedisCluster();
  // Tessera's own client, configured as REDIS_CLUSTER_NODES would configure it.
  clustered = createRedisClient({
    kind: 'cluster',
    nodes: [{ host: '127.0.0.1', port: cluster.ports[0]! }],
    name: 'mymaster',
    tls: false,
    commandTimeout: 2000,
  });
  await clustered.connect();
  sentinel = await startSentinel();
  sentinelled = createRedisClient({
    kind: 'sentinel',
    nodes: [{ host: '127.0.0.1', port: sentinel.port }],
    name: 'tessera-master',
    tls: false,
    commandTimeout: 2000,
  });
  await sentinelled.connect();
}, 60_000);

afterAll(async () => {
  await standalone?.quit();
  await clustered?.quit();
  await cluster?.stop();
  await sentinelled?.quit();
  await sentinel?.stop();
});

for (const [name, redis] of [
  ['Redis standalone', () => standalone],
  ['Redis Sentinel', () => sentinelled],
  ['Redis Cluster (3 masters)', () => clustered],
] as const) {
  storeContract(name, (clock) => {
    const prefix = `revocations-${process.pid}-${++run}:`;
    return {
      store: createRedisRevocationStore({ redis: redis(), prefix, clock }),
      ttls: async () => Promise.all(revocationKeys(prefix).map((key) => redis().ttl(key))),
    };
  });
}

test('with Redis unreachable, add and read reject: nothing reports success for nothing', async () => {
  const down = createRedisClient({ kind: 'standalone', url: 'redis://127.0.0.1:1', commandTimeout: 300 });
  const store = createRedisRevocationStore({ redis: down, prefix: 'down:' });
  await expect(store.add([{ claim: 'jti', value: 'x', exp: 9_999_999_999 }])).rejects.toThrow();
  await expect(store.read(0, 10)).rejects.toThrow();
  await expect(store.isRevoked({ jti: 'x' })).rejects.toThrow();
  down.disconnect();
});
