import { createRedisAdapter, createRedisClient } from '../../adapters/redis/index.ts';
import { redisKeys } from '../../adapters/redis/redis-keys.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { adapterContract, inspectedStoreContract } from './contract.ts';
import type { InspectedStore } from './contract.ts';

const prefix = `contract-${process.pid}:`;
const keys = redisKeys(prefix);
let cluster: RedisCluster;
let client: ReturnType<typeof createRedisClient>;

beforeAll(async () => {
  cluster = await startRedisCluster();
  // Tessera's own client, configured as REDIS_CLUSTER_NODES would configure it.
  client = createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: cluster.ports[0]! }], name: 'mymaster', tls: false, commandTimeout: 2000 });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client.quit();
  await cluster.stop();
});

const store = (): InspectedStore => ({
  adapter: createRedisAdapter({ redis: client, prefix }),
  ttl: (model, id, grantId) => client.pttl(grantId ? keys.member(grantId, model, id) : keys.entry(model, id)),
  size: async () => (await cluster.keys(`${prefix}*`)).length,
});
adapterContract('Redis Cluster (3 masters)', store);
inspectedStoreContract('Redis Cluster (3 masters)', store);
