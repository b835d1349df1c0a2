import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';

import { createRedisClient } from '../../adapters/redis/index.ts';
import { redisMetrics } from '../../src/observability/redis-metrics.ts';
import { parseScrape } from '../support/scrape.ts';

const series = async (registry: Registry, name: string) => (await parseScrape(await registry.metrics())).series(name);

test('every command of a client is timed, pipelined ones too; a refused command counts as an error', async () => {
  const registry = new Registry();
  const redis = createRedisClient({ kind: 'standalone', url: process.env.REDIS_URL!, commandTimeout: 2000 }) as Redis;
  redisMetrics(registry).instrument(redis);
  await redis.connect();
  try {
    // Sent in one turn of the event loop, these go to Redis as one auto-pipelined write.
    await Promise.all([redis.set('metrics-test:a', '1'), redis.get('metrics-test:a'), redis.get('metrics-test:b')]);
    await redis.call('hget', 'metrics-test:a', 'field').catch(() => undefined);
    const durations = await series(registry, 'tessera_redis_command_duration_seconds');
    expect(durations['{command="set"}']).toBe(1);
    expect(durations['{command="get"}']).toBe(2);
    expect(durations['{command="hget"}']).toBe(1);
    const errors = await series(registry, 'tessera_redis_command_errors_total');
    expect(errors['{command="hget"}']).toBe(1);
    expect(errors['{command="get"}']).toBe(0);
  } finally {
    await redis.del('metrics-test:a');
    redis.disconnect();
  }
});
