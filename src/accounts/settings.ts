import type { Config } from '../config/load-config.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisUserStoreOptions } from './redis-user-store.ts';
import type { LoginThrottleOptions } from './login-throttle.ts';

/** The user store's options from Tessera's configuration (PASSWORD_* settings). */
export function userStoreOptions(config: Config, redis: RedisClient): RedisUserStoreOptions {
  return { redis, prefix: config.redisKeyPrefix, hashing: { N: config.passwordScryptN }, minPasswordLength: config.passwordMinLength };
}

/** The login throttle's limits from Tessera's configuration (LOGIN_THROTTLE_* settings). */
export function throttleLimits(config: Config): NonNullable<LoginThrottleOptions['limits']> {
  return {
    username: { freeFailures: config.loginThrottleUserFreeFailures, maxDelay: config.loginThrottleUserMaxDelay },
    ip: { freeFailures: config.loginThrottleIpFreeFailures, maxDelay: config.loginThrottleIpMaxDelay },
  };
}
