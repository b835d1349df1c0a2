import type { Cluster, Redis } from 'ioredis';

import { createRedisAdapter } from '../../adapters/redis/index.ts';
import type { Config } from '../config/load-config.ts';
import { createStoredClients } from './stored-clients.ts';
import type { StoredClients } from './stored-clients.ts';

/** The stored clients of a configuration, as the CLI and the admin API both use them. */
export function openStoredClients(config: Config, redis: Redis | Cluster): StoredClients {
  return createStoredClients({
    redis,
    prefix: config.redisKeyPrefix,
    adapter: createRedisAdapter({ redis, prefix: config.redisKeyPrefix }),
    staticIds: config.clients.map((c) => c.client_id),
    resourceServers: config.resourceServers,
  });
}
