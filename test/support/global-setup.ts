import { startRedis } from './redis-server.ts';
import type { RedisProcess } from './redis-server.ts';

declare global {
  var __TESSERA_REDIS__: RedisProcess | undefined;
}

/** Starts one redis-server for the whole run unless REDIS_URL names one. */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const redis = await startRedis();
  globalThis.__TESSERA_REDIS__ = redis;
  process.env.REDIS_URL = redis.url;
  process.env.TESSERA_TEST_REDIS_OWNED = '1';
}
