import { Redis } from 'ioredis';

/** How Tessera reaches Redis. */
export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL, with password when needed. */
  readonly url: string;
  /** Milliseconds a command may take before it fails (no unbounded waiting). */
  readonly commandTimeout?: number;
}

/**
 * An ioredis client that fails fast while Redis is unreachable — no offline queue, a bounded
 * command timeout, one retry — and reconnects by itself when Redis returns.
 */
export function createRedisClient({ url, commandTimeout = 2000 }: RedisConnectionOptions): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout,
    connectTimeout: commandTimeout,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
}

/** Readiness: Redis answers PING within the command timeout. */
export async function redisReachable(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
