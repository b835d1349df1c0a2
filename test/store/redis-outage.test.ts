import type { Cluster, Redis } from 'ioredis';

import { createRedisClient } from '../../adapters/redis/redis-client.ts';
import { startRedis } from '../support/redis-server.ts';
import { startTessera } from '../support/tessera.ts';

const SECRET = 'service-secret-0123456789abcdefghijklmnop';
const BASIC = `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`;
/** Bound of each wait below; each returns as soon as its condition holds. */
const WAIT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + WAIT_MS; !check(); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting until ${what}`);
  }
}

// The outage lasts until requests have failed and Tessera has tried to reconnect, and the load
// goes on until requests have succeeded again: conditions, not durations, so a slow machine only
// makes the test longer. How soon Tessera serves again is the reconnection delay, checked below.
test('Redis stopped under load and started again: no crash, only 503 while it is down, success again once it is back', async () => {
  const redis = await startRedis();
  const tessera = await startTessera({
    env: { REDIS_URL: redis.url },
    configFile: { clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }] },
  });
  const samples: { startedAt: number; at: number; status: number; body: string }[] = [];
  let running = true;
  // Introspection reads the store on every call: a steady load of requests that need Redis.
  const worker = async (): Promise<void> => {
    while (running) {
      const startedAt = Date.now();
      const response = await fetch(`${tessera.url}/token/introspection`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=not-a-real-token',
      });
      samples.push({ startedAt, at: Date.now(), status: response.status, body: await response.text() });
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  const reconnectFailures = (): number => tessera.logs().filter((l) => l.event === 'redis.error').length;
  try {
    await until(() => samples.length >= 20, 'requests have been served');
    const stoppedAt = Date.now();
    await redis.stop();
    await until(
      () => samples.filter((s) => s.startedAt > stoppedAt && s.status === 503).length >= 10 && reconnectFailures() >= 3,
      'requests fail and Tessera has tried to reconnect',
    );
    const again = await startRedis([], redis.port);
    const returnedAt = Date.now();
    const successAfterReturn = () => samples.find((s) => s.startedAt > returnedAt && s.status === 200);
    await until(() => successAfterReturn() !== undefined, 'a request succeeds after Redis is back');
    await until(() => samples.filter((s) => s.startedAt > successAfterReturn()!.at).length >= 20, 'more requests have been served');
    running = false;
    await Promise.all(workers);
    await again.stop();

    const statuses = new Set(samples.map((s) => s.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    expect(samples.filter((s) => s.at < stoppedAt).length).toBeGreaterThanOrEqual(20);
    expect(samples.filter((s) => s.at < stoppedAt).every((s) => s.status === 200)).toBe(true);
    const failures = samples.filter((s) => s.status === 503);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(JSON.parse(failure.body)).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'the authorization server cannot reach its storage; try again shortly',
      });
    }
    const firstSuccessAfterReturn = successAfterReturn()!;
    expect(samples.filter((s) => s.startedAt > firstSuccessAfterReturn.at).every((s) => s.status === 200)).toBe(true);
    expect(tessera.process.exitCode).toBeNull();
    expect(JSON.parse(samples.find((s) => s.status === 200)!.body)).toEqual({ active: false });
  } finally {
    running = false;
    await tessera.stop();
  }
});

// What bounds the time to serve again once Redis is back: the client tries again at least once
// a second however long Redis was gone (README: "reconnection every ≤ 1 s"). Read from the
// clients Tessera makes, so it holds without depending on how fast this machine is.
test('the Redis client tries to reconnect after 100 ms, 200 ms, … and never waits more than 1 s between tries', () => {
  const standalone = createRedisClient({ kind: 'standalone', url: 'redis://127.0.0.1:9', commandTimeout: 2000 }) as Redis;
  const sentinel = createRedisClient({
    kind: 'sentinel',
    nodes: [{ host: '127.0.0.1', port: 9 }],
    name: 'mymaster',
    tls: false,
    commandTimeout: 2000,
  }) as Redis;
  const cluster = createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 9 }], name: '', tls: false, commandTimeout: 2000 }) as Cluster;
  const attempts = Array.from({ length: 1000 }, (_, i) => i + 1);
  const expected = attempts.map((n) => Math.min(n * 100, 1000));
  for (const strategy of [standalone.options.retryStrategy, sentinel.options.retryStrategy, cluster.options.clusterRetryStrategy]) {
    expect(attempts.map((n) => (strategy as (times: number) => number)(n))).toEqual(expected);
  }
  expect(standalone.options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 2000 });
  for (const client of [standalone, sentinel, cluster]) client.disconnect();
});
