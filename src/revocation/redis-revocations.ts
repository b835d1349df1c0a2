import type { RedisClient } from '../accounts/redis-client.ts';
import type { Config } from '../config/load-config.ts';
import { createRedisRevocationStore } from './redis-revocation-store.ts';
import type { RevocationStore } from './revocation-store.ts';
import { createRevocations } from './revocations.ts';
import type { Revocations } from './revocations.ts';
import { longestTokenLifetime } from './token-lifetime.ts';

/** Revocations over a store, with entries as long-lived as the configuration's longest access token. */
export function revocationsFor(config: Config, store: RevocationStore): Revocations {
  return createRevocations({ store, lifetime: longestTokenLifetime(config) });
}

/** Revocations in the Redis of `config`, as the servers and the CLI share them. */
export function redisRevocations(config: Config, redis: RedisClient): Revocations {
  return revocationsFor(config, createRedisRevocationStore({ redis, prefix: config.redisKeyPrefix }));
}
