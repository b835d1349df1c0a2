import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { startTessera, tempDir } from '../support/tessera.ts';

test('/healthz answers alive; /readyz reports its checks; neither is in the access log', async () => {
  const tessera = await startTessera({ redis: false });
  try {
    const health = await fetch(`${tessera.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${tessera.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { keys: 'ok' } });
    await fetch(`${tessera.url}/.well-known/openid-configuration`);
    const lines = await tessera.logsOnce((l) => l.path === '/.well-known/openid-configuration');
    const paths = lines.filter((l) => l.event === 'http.request').map((l) => l.path);
    expect(paths).toEqual(['/.well-known/openid-configuration']);
  } finally {
    await tessera.stop();
  }
});

test('without REDIS_URL one clear warning says the in-memory store is neither shared nor durable', async () => {
  const tessera = await startTessera({ redis: false });
  await tessera.stop();
  const warnings = tessera.logs().filter((l) => l.level === 'warn' && l.event === 'store.memory');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.msg).toBe('REDIS_URL is not set: using the in-memory store; state is neither shared between instances nor kept across restarts');
  expect(tessera.output()).not.toContain('oidc-provider WARNING');
});

test('development start with an empty CERTS_DIR generates one ES256 and one RS256 key, pinned to their algorithms, and says so once', async () => {
  const certs = tempDir('tessera-certs-');
  const tessera = await startTessera({ redis: false, env: { CERTS_DIR: certs } });
  const jwks = (await (await fetch(`${tessera.url}/jwks`)).json()) as { keys: { kty: string; alg?: string }[] };
  await tessera.stop();
  const generated = tessera
    .logs()
    .filter((l) => l.event === 'keys.generated')
    .map((l) => String(l.path).split('/').pop());
  expect(generated).toEqual(['dev-es256.pem', 'dev-rs256.pem']);
  expect(JSON.parse(readFileSync(join(certs, 'keys.json'), 'utf8'))).toEqual({ 'dev-rs256': { alg: 'RS256' } });
  expect(jwks.keys.map((k) => [k.kty, k.alg])).toEqual([
    ['EC', 'ES256'],
    ['RSA', 'RS256'],
  ]);
});

/**
 * A client_credentials request to /token whose body is sent in two parts: once the server has
 * read the headers, `between` runs, and only then does the rest of the body follow.
 */
function tokenRequestInTwoParts(url: string, between: () => Promise<void>): Promise<{ status: number; text: string }> {
  const body = 'grant_type=client_credentials&scope=api%3Aread';
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/token`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => between().then(() => req.end(body.slice(10)), reject), 200);
  });
}

test.each(['SIGTERM', 'SIGINT'] as const)('%s: stops accepting, finishes the in-flight request, exits 0', async (signal) => {
  const tessera = await startTessera({ redis: false });
  // The signal arrives while the request body is still being sent.
  const { status, text } = await tokenRequestInTwoParts(tessera.url, async () => {
    tessera.process.kill(signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  expect(status).toBe(200);
  expect(JSON.parse(text)).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
  expect(await tessera.stop()).toBe(0);
  await expect(fetch(`${tessera.url}/healthz`)).rejects.toThrow();
  expect(tessera.logs().map((l) => l.event)).toEqual(expect.arrayContaining(['server.stopping', 'server.stopped']));
});

test('SIGTERM: the instance leaves the fleet roll call when the signal arrives, while its in-flight request still finishes', async () => {
  const tessera = await startTessera();
  const { REDIS_URL, REDIS_KEY_PREFIX } = tessera.redisEnv!;
  const key = `${REDIS_KEY_PREFIX}fleet`;
  const redis = new Redis(REDIS_URL);
  try {
    expect(await redis.hlen(key)).toBe(1);
    let entries = -1;
    const { status } = await tokenRequestInTwoParts(tessera.url, async () => {
      tessera.process.kill('SIGTERM');
      // Still draining (the request is half sent), the instance has already left.
      entries = await redis.hlen(key);
      for (const deadline = Date.now() + 3000; entries > 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entries = await redis.hlen(key);
      }
    });
    expect(entries).toBe(0);
    expect(status).toBe(200);
    expect(await tessera.stop()).toBe(0);
    const events = tessera.logs().map((l) => l.event);
    expect(events.indexOf('fleet.left')).toBeGreaterThan(events.indexOf('server.stopping'));
    expect(events.indexOf('fleet.left')).toBeLessThan(events.indexOf('server.stopped'));
  } finally {
    redis.disconnect();
    await tessera.stop();
  }
});
