import type { Cluster, Redis } from 'ioredis';

import { createRedisClient } from '../../adapters/redis/index.ts';
import type { Config } from '../config/load-config.ts';

/**
 * Connects to the Redis of `config` (the one the servers use), runs `use`, and closes the
 * connection whatever happens. A connection failure is one clear error, not a hanging command.
 */
export async function withRedis<T>(config: Config, what: string, use: (redis: Redis | Cluster) => Promise<T>): Promise<T> {
  if (!config.redis) throw new Error(`REDIS_URL is not set: ${what} are stored in Redis`);
  const redis = createRedisClient(config.redis);
  let cause: Error | undefined;
  redis.on('error', (err: Error) => {
    cause ??= err;
  }); // surfaced through the rejected commands
  try {
    await redis.connect().catch((err: Error) => {
      throw new Error(`cannot connect to Redis (${(cause ?? err).message})`);
    });
    return await use(redis);
  } finally {
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect(false);
  }
}
