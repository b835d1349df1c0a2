import type { Cluster, Redis } from 'ioredis';

import { createRedisAdapter } from '../../adapters/redis/index.ts';
import type { Config } from '../config/load-config.ts';
import { announceClientChange } from './client-changes.ts';
import { createStoredClients } from './stored-clients.ts';
import type { StoredClients } from './stored-clients.ts';

/**
 * The stored clients of a configuration, as the CLI and the admin API both use them; every change
 * is announced to the instances (`announce`: by default on Redis pub/sub only).
 */
export function openStoredClients(
  config: Config,
  redis: Redis | Cluster,
  announce: (clientId: string) => Promise<void> = (clientId) => announceClientChange(redis, config.redisKeyPrefix, clientId),
): StoredClients {
  return createStoredClients({
    redis,
    prefix: config.redisKeyPrefix,
    adapter: createRedisAdapter({ redis, prefix: config.redisKeyPrefix }),
    staticIds: config.clients.map((c) => c.client_id),
    resourceServers: config.resourceServers,
    onChange: announce,
  });
}
