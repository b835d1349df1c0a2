import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * Where Redis is: one server, a master watched by sentinels, or a cluster; the adapter's own
 * statement of what it connects to (Tessera's configuration resolves one, src/config).
 */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string; readonly commandTimeout: number }
  | {
      readonly kind: 'sentinel' | 'cluster';
      readonly nodes: readonly { host: string; port: number }[];
      readonly name: string;
      readonly password?: string | undefined;
      readonly tls: boolean;
      readonly commandTimeout: number;
    };

/**
 * An ioredis client for a standalone server, a Sentinel-managed master or a Cluster, that
 * fails fast while Redis is unreachable — no offline queue, a bounded command timeout, one
 * retry — and reconnects by itself when Redis returns. Commands sent in the same turn of the
 * event loop go to Redis in one write (ioredis auto-pipelining): under load, the requests that
 * arrived together store their records with one round trip instead of one each. Connect it
 * with `connect()`.
 */
export function createRedisClient(target: RedisTarget): Redis | Cluster {
  const failFast: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    commandTimeout: target.commandTimeout,
    connectTimeout: target.commandTimeout,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  };
  if (target.kind === 'standalone') return new Redis(target.url, failFast);
  const auth = { ...(target.password ? { password: target.password } : {}), ...(target.tls ? { tls: {} } : {}) };
  if (target.kind === 'sentinel') {
    return new Redis({
      ...failFast,
      ...auth,
      sentinels: target.nodes.map((n) => ({ ...n })),
      name: target.name,
      ...(target.password ? { sentinelPassword: target.password } : {}),
    });
  }
  return new Cluster(
    target.nodes.map((n) => ({ ...n })),
    {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      redisOptions: { ...failFast, ...auth },
    },
  );
}

/** Readiness: Redis answers PING within the command timeout. */
export async function redisReachable(redis: Redis | Cluster): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
