import { createHash } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';

/**
 * Runs a Lua script atomically on the node that holds its keys: EVALSHA, and EVAL once when that
 * node answers NOSCRIPT (a restarted node, a failover, a Cluster node that has not seen it yet),
 * which also loads it there for the next call. Arguments are sent as strings.
 */
export type RedisScript = (redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/**
 * Wraps Lua `source` as a {@link RedisScript}: the one way Tessera runs a script on Redis. All
 * `keys` must share a hash tag under Redis Cluster (ioredis routes the call by the first key).
 *
 * @example
 * const bump = redisScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
 * await bump(redis, ['{counter}:n'], [1]);
 */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    const argv = args.map(String);
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(source, keys.length, ...keys, ...argv);
    }
  };
}
