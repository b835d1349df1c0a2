import { startRedis } from '../../test/support/redis-server.ts';
import type { RedisProcess } from '../../test/support/redis-server.ts';
import { pinned } from './processes.ts';

/** A redis-server for a benchmark (the tests' own), on a free loopback port, on core 0 (the server under test has core 1). */
export function startRedisServer(): Promise<RedisProcess> {
  return startRedis([], undefined, (command, args) => pinned(0, args, command));
}
