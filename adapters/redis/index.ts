export { createRedisAdapter } from './redis-adapter.ts';
export { createRedisClient, redisReachable } from './redis-client.ts';
export type { RedisConnectionOptions } from './redis-client.ts';
export { StorageUnavailableError } from './storage-unavailable.ts';
