import type { Cluster, Redis } from 'ioredis';

import { createRedisAdapter, createRedisClient, StorageUnavailableError } from '../../adapters/redis/index.ts';
import { redisKeys } from '../../adapters/redis/redis-keys.ts';
import { startRedis } from '../support/redis-server.ts';
import { readyOnRedis, startTessera } from '../support/tessera.ts';

const PREFIX = `store-test-${process.pid}:`;
const keys = redisKeys(PREFIX);
let redis: Redis | Cluster;

beforeAll(async () => {
  redis = createRedisClient({ kind: 'standalone', url: process.env.REDIS_URL!, commandTimeout: 2000 });
  await redis.connect();
});

afterAll(async () => {
  await redis.quit();
});

test('sessions: stored with their TTL, found by id and by uid, destroyed', async () => {
  const Adapter = createRedisAdapter({ redis, prefix: PREFIX });
  const sessions = new Adapter('Session');
  await sessions.upsert('s1', { uid: 'u1', accountId: 'alice', exp: 0 }, 60);
  expect(await sessions.find('s1')).toEqual({ uid: 'u1', accountId: 'alice', exp: 0 });
  expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'alice', exp: 0 });
  const ttl = await redis.pttl(keys.entry('Session', 's1'));
  expect(ttl).toBeGreaterThan(59_000);
  expect(ttl).toBeLessThanOrEqual(60_000);
  expect(await redis.pttl(keys.uid('u1'))).toBeGreaterThan(59_000);
  await sessions.destroy('s1');
  expect(await sessions.find('s1')).toBeUndefined();
});

test('opaque client_credentials tokens: stored with TTL, consumed, revoked with their grant', async () => {
  const Adapter = createRedisAdapter({ redis, prefix: PREFIX });
  const tokens = new Adapter('ClientCredentials');
  const codes = new Adapter('AuthorizationCode');
  await tokens.upsert('t1', { clientId: 'svc', kind: 'ClientCredentials', grantId: 'g1' }, 30);
  await codes.upsert('c1', { clientId: 'svc', kind: 'AuthorizationCode', grantId: 'g1' }, 90);
  await codes.consume('c1');
  expect(await codes.find('c1')).toMatchObject({ consumed: expect.any(Number) });
  expect(await redis.pttl(keys.member('g1', 'AuthorizationCode', 'c1'))).toBeGreaterThan(80_000);
  expect(await redis.pttl(keys.index('g1'))).toBeGreaterThan(80_000);
  await tokens.revokeByGrantId('g1');
  expect(await tokens.find('t1')).toBeUndefined();
  expect(await codes.find('c1')).toBeUndefined();
  expect(await redis.exists(keys.index('g1'))).toBe(0);
});

test('consuming twice is a replay: invalid_grant, and the whole grant family is gone', async () => {
  const Adapter = createRedisAdapter({ redis, prefix: PREFIX });
  const codes = new Adapter('AuthorizationCode');
  const grants = new Adapter('Grant');
  await grants.upsert('g2', { accountId: 'alice', clientId: 'svc', kind: 'Grant' }, 90);
  await codes.upsert('c2', { clientId: 'svc', kind: 'AuthorizationCode', grantId: 'g2' }, 60);
  await new Adapter('RefreshToken').upsert('r2', { clientId: 'svc', kind: 'RefreshToken', grantId: 'g2' }, 600);
  await codes.consume('c2');
  await expect(codes.consume('c2')).rejects.toMatchObject({ error: 'invalid_grant', error_description: 'grant request is invalid' });
  expect(await redis.keys(`${PREFIX}{g:g2}*`)).toEqual([]);
  await expect(codes.consume('never-stored')).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('with Redis gone: adapter calls fail fast with temporarily_unavailable; Tessera stays up, /readyz says so, and recovers', async () => {
  const own = await startRedis();
  const tessera = await startTessera({ env: { REDIS_URL: own.url } });
  const client = createRedisClient({ kind: 'standalone', url: own.url, commandTimeout: 500 });
  await client.connect();
  try {
    expect(await (await fetch(`${tessera.url}/readyz`)).json()).toEqual(readyOnRedis());
    await own.stop();
    // Fails while Redis is still gone: the call does not wait for it to come back (no offline
    // queue; the reconnection delays are checked in redis-outage.test.ts). The race's bound is
    // far beyond the 500 ms command timeout, so only a call that waits for Redis reaches it.
    const call = new (createRedisAdapter({ redis: client, prefix: PREFIX }))('Session').find('x').then(
      () => 'found',
      (err: unknown) => err,
    );
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      call,
      new Promise((resolve) => {
        bound = setTimeout(resolve, 20_000, 'still waiting for Redis');
      }),
    ]);
    clearTimeout(bound);
    expect(outcome).toBeInstanceOf(StorageUnavailableError);
    expect((client as Redis).options).toMatchObject({ enableOfflineQueue: false, commandTimeout: 500 });
    const down = await fetch(`${tessera.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual(readyOnRedis('unreachable'));
    expect((await fetch(`${tessera.url}/healthz`)).status).toBe(200);

    const again = await startRedis([], own.port);
    try {
      // Ready again by itself, without a restart; how soon is the reconnection delay, at most
      // 1 s (redis-outage.test.ts), so the bound here only limits how long a failure is waited for.
      const back = Date.now();
      let status = 0;
      while (status !== 200 && Date.now() - back < 30_000) {
        status = (await fetch(`${tessera.url}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      await again.stop();
    }
  } finally {
    client.disconnect();
    await tessera.stop();
    await own.stop();
  }
});
