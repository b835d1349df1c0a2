export { createRedisAdapter } from './redis-adapter.ts';
export { createRedisClient, redisReachable } from './redis-client.ts';
export type { RedisTarget } from './redis-client.ts';
export type { RedisAdapterOptions } from './redis-adapter.ts';
export { StorageUnavailableError } from './storage-unavailable.ts';
