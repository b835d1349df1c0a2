import { createHash } from 'node:crypto';

import type { RedisClient } from './redis-client.ts';

/** Runs a Lua script atomically: EVALSHA, falling back to EVAL when Redis does not know it yet. */
export type RedisScript = (redis: RedisClient, keys: string[], args: string[]) => Promise<unknown>;

/** Wraps Lua `source` as a RedisScript. All `keys` must share a hash tag under Redis Cluster. */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err as Error).message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
