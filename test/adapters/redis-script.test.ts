import { createHash } from 'node:crypto';

import { Redis } from 'ioredis';

import { redisScript } from '../../adapters/redis/redis-script.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { startRedis } from '../support/redis-server.ts';
import type { RedisProcess } from '../support/redis-server.ts';

const bump = redisScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
const refuse = redisScript(`return redis.error_reply('LOCKLOST')`);

let server: RedisProcess;
let redis: Redis;
let cluster: RedisCluster;

/** How many times `node` ran each script command since the last CONFIG RESETSTAT. */
async function scriptCalls(node: Redis = redis): Promise<{ eval: number; evalsha: number }> {
  const stats = await node.info('commandstats');
  const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
  redis = new Redis(server.url);
}, 60_000);
afterAll(async () => {
  await redis.quit();
  await Promise.all([server.stop(), cluster.stop()]);
});
beforeEach(async () => {
  await redis.script('FLUSH');
  await redis.config('RESETSTAT');
});

test('a script Redis does not know is sent in full once, and by its digest from then on', async () => {
  expect(await bump(redis, ['counter'], [2])).toBe(2);
  expect(await bump(redis, ['counter'], [3])).toBe(5);
  expect(await bump(redis, ['counter'], [4])).toBe(9);
  expect(await scriptCalls()).toEqual({ eval: 1, evalsha: 3 });
});

test('a Redis that lost its scripts (a restart, a failover) is sent the script again', async () => {
  await bump(redis, ['again'], [1]);
  await redis.script('FLUSH');
  expect(await bump(redis, ['again'], [1])).toBe(2);
  expect(await scriptCalls()).toEqual({ eval: 2, evalsha: 2 });
});

test('an error reply of the script itself reaches the caller and is not sent again', async () => {
  await expect(refuse(redis, [], [])).rejects.toThrow(/LOCKLOST/);
  await expect(refuse(redis, [], [])).rejects.toThrow(/LOCKLOST/);
  // EVALSHA each time, EVAL only after the first NOSCRIPT: the refusal is never retried.
  expect(await scriptCalls()).toEqual({ eval: 1, evalsha: 2 });
});

test('on a Cluster the master of each key is sent the script when it lacks it, and answers by digest after', async () => {
  const masters = cluster.client.nodes('master');
  await Promise.all(masters.map((node) => node.script('FLUSH')));
  await Promise.all(masters.map((node) => node.config('RESETSTAT')));
  const keys = Array.from({ length: 12 }, (_, i) => `{tag-${i}}:n`);
  expect(await Promise.all(keys.map((key) => bump(cluster.client, [key], [1])))).toEqual(keys.map(() => 1));
  expect(await Promise.all(keys.map((key) => bump(cluster.client, [key], [1])))).toEqual(keys.map(() => 2));
  const sha = createHash('sha1').update(`return redis.call('INCRBY', KEYS[1], ARGV[1])`).digest('hex');
  const perMaster = await Promise.all(
    masters.map(async (node) => ({
      keys: (await node.keys('{tag-*}:n')).length,
      known: await node.script('EXISTS', sha),
      calls: await scriptCalls(node),
    })),
  );
  // The first round went out at once, each call before any EVAL had loaded the script: all 12 fell
  // back. The second round ran by digest alone.
  expect(perMaster.reduce((sum, m) => sum + m.calls.eval, 0)).toBe(12);
  expect(perMaster.reduce((sum, m) => sum + m.calls.evalsha, 0)).toBe(24);
  expect(perMaster.every((m) => m.keys > 0)).toBe(true);
  expect(perMaster.map((m) => m.known)).toEqual([[1], [1], [1]]);
  expect(await cluster.keys('{tag-*}:n')).toHaveLength(12);
});
