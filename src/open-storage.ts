import type { Cluster, Redis } from 'ioredis';
import type { AdapterConstructor, AdapterFactory } from 'oidc-provider';

import { createRedisAdapter, createRedisClient, redisReachable } from '../adapters/redis/index.ts';
import { createLoginThrottle } from './accounts/login-throttle.ts';
import type { LoginThrottle } from './accounts/login-throttle.ts';
import { createMemoryLoginThrottle } from './accounts/memory-login-throttle.ts';
import { createMemoryUserStore } from './accounts/memory-user-store.ts';
import { createRedisUserStore } from './accounts/redis-user-store.ts';
import { throttleLimits, userStoreOptions } from './accounts/settings.ts';
import type { UserStore } from './accounts/user-store.ts';
import type { Config } from './config/load-config.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics-registry.ts';
import { memoryAdapter } from './provider/memory-adapter.ts';
import { createMemoryRevocationStore } from './revocation/memory-revocation-store.ts';
import { createRedisRevocationStore } from './revocation/redis-revocation-store.ts';
import type { RevocationStore } from './revocation/revocation-store.ts';

/** Where the state lives: the engine's adapter, users and their sign-in throttle, revocations; Redis when there is one. */
export interface Storage {
  readonly redis?: Redis | Cluster | undefined;
  readonly adapter: AdapterConstructor | AdapterFactory;
  readonly users: { readonly store: UserStore; readonly throttle: LoginThrottle };
  readonly revocationStore: RevocationStore;
  /** Whether Redis answers; absent in memory. */
  readonly ready?: ReadinessCheck | undefined;
  /** Closes the Redis connection; absent in memory. */
  readonly close?: (() => Promise<unknown>) | undefined;
}

/**
 * Opens the storage of REDIS_URL (or the cluster or sentinels), instrumented and connected; an
 * unreachable Redis is logged and answered with 503 until it returns. Without Redis: the
 * in-memory stores, announced with a warning. `onGrantEnd` is called whenever a grant ends.
 */
export async function openStorage({
  config,
  logger,
  metrics,
  traceRedis,
  onGrantEnd,
}: {
  config: Config;
  logger: Logger;
  metrics?: Metrics | undefined;
  traceRedis?: ((redis: Redis | Cluster) => void) | undefined;
  onGrantEnd?: ((grantId: string) => Promise<void>) | undefined;
}): Promise<Storage> {
  if (!config.redis) {
    logger.warn(
      { event: 'store.memory' },
      'REDIS_URL is not set: using the in-memory store; state is neither shared between instances nor kept across restarts',
    );
    return {
      adapter: memoryAdapter(onGrantEnd),
      users: {
        store: createMemoryUserStore({ hashing: { N: config.passwordScryptN }, minPasswordLength: config.passwordMinLength }),
        throttle: createMemoryLoginThrottle({ limits: throttleLimits(config) }),
      },
      revocationStore: createMemoryRevocationStore(),
    };
  }
  const redis = createRedisClient(config.redis);
  metrics?.redis.instrument(redis);
  traceRedis?.(redis);
  redis.on('error', (err: Error) => logger.warn({ event: 'redis.error', err: { message: err.message } }, 'Redis connection problem'));
  await redis.connect().catch((err: Error) => {
    logger.error({ event: 'redis.unreachable', err: { message: err.message } }, 'Redis is unreachable; requests fail with 503 until it answers');
  });
  return {
    redis,
    adapter: createRedisAdapter({
      redis,
      prefix: config.redisKeyPrefix,
      refreshTokenGrace: config.refreshTokenReuseGrace,
      ...(onGrantEnd ? { onGrantEnd } : {}),
    }),
    users: {
      store: createRedisUserStore(userStoreOptions(config, redis)),
      throttle: createLoginThrottle({ redis, prefix: config.redisKeyPrefix, limits: throttleLimits(config) }),
    },
    revocationStore: createRedisRevocationStore({ redis, prefix: config.redisKeyPrefix }),
    ready: async () => ({ name: 'redis', ok: await redisReachable(redis), detail: 'unreachable' }),
    close: () => redis.quit(),
  };
}
