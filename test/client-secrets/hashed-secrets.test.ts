import { Redis } from 'ioredis';

import { hashClientSecret } from '../../src/provider/client-secret-hash.ts';
import { startTessera } from '../support/tessera.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const STATIC_SECRET = 'static-hashed-secret-0123456789abcdefghij';
let tessera: TesseraProcess;
let redis: Redis;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'static-hashed',
          client_secret_hash: hashClientSecret(STATIC_SECRET),
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
    },
  });
  redis = new Redis(tessera.redisEnv!.REDIS_URL);
});

afterAll(async () => {
  redis.disconnect();
  await tessera.stop();
});

const clients = (env: Record<string, string>, ...args: string[]) =>
  tesseraCli({ ...tessera.redisEnv!, ...env } as { REDIS_URL: string; REDIS_KEY_PREFIX: string }, 'clients', ...args);

async function token(id: string, secret: string, method: 'basic' | 'post' = 'basic') {
  const basic = { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { ...(method === 'basic' ? basic : {}), 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&scope=api%3Aread${method === 'post' ? `&client_id=${id}&client_secret=${secret}` : ''}`,
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const INVALID = { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };

async function everyValue(): Promise<string> {
  const keys = await redis.keys(`${tessera.redisEnv!.REDIS_KEY_PREFIX}*`);
  const values = await Promise.all(
    keys.map(async (key) => {
      const type = await redis.type(key);
      if (type === 'string') return redis.get(key);
      if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
      if (type === 'set') return JSON.stringify(await redis.smembers(key));
      return '';
    }),
  );
  return `${keys.join('\n')}\n${values.join('\n')}`;
}

function secretOf(stdout: string): string {
  return /client_secret: ([\w-]{43})\n/.exec(stdout)![1]!;
}

test('Redis keeps only a hash of a stored client secret; client_secret_basic and client_secret_post both authenticate', async () => {
  const added = clients({}, 'add', 'hashed-svc', '--grant-types', 'client_credentials', '--scope', 'api:read');
  expect(added.code).toBe(0);
  const secret = secretOf(added.stdout);
  const stored = await everyValue();
  expect(stored).toContain('hashed-svc');
  expect(stored).toMatch(/"client_secret_hash":"sha256\$[\w-]{22}\$[\w-]{43}"/);
  expect(stored).not.toContain(secret);
  expect(stored).not.toContain('"client_secret":');
  expect((await token('hashed-svc', secret)).status).toBe(200);
  // The engine takes a client_secret_basic client's secret in the body as well.
  expect((await token('hashed-svc', secret, 'post')).status).toBe(200);
  expect(await token('hashed-svc', `${secret.slice(0, -1)}x`)).toEqual(INVALID);
  expect(clients({}, 'show', 'hashed-svc').stdout).not.toContain('sha256$');
  clients({}, 'remove', 'hashed-svc');
});

test('a CONFIG_FILE client may carry client_secret_hash instead of its secret', async () => {
  expect((await token('static-hashed', STATIC_SECRET, 'post')).status).toBe(200);
  expect(await token('static-hashed', 'static-hashed-secret-0123456789abcdefghiX', 'post')).toEqual(INVALID);
});

test('hash-secret prints a secret and the hash that matches it', () => {
  const printed = tesseraCli(tessera.redisEnv!, 'clients', 'hash-secret');
  expect(printed.stdout).toMatch(/^client_secret: [\w-]{43}\nclient_secret_hash: sha256\$[\w-]{22}\$[\w-]{43}\n$/);
});

test('rotate-secret: the old secret keeps working through the grace period, then only the new one does', async () => {
  const secret = secretOf(clients({}, 'add', 'rotating-svc', '--grant-types', 'client_credentials').stdout);
  const rotated = clients({ CLIENT_SECRET_ROTATION_GRACE: '3' }, 'rotate-secret', 'rotating-svc');
  expect(rotated.code).toBe(0);
  const fresh = secretOf(rotated.stdout);
  expect(rotated.stdout).toMatch(
    /^rotated the secret of rotating-svc\nclient_secret: [\w-]{43}\n\(shown once: store it now; the previous secret works until \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/,
  );
  expect(await everyValue()).not.toContain(fresh);
  const started = Date.now();
  // A service that has not been redeployed keeps getting tokens during the grace period.
  while (Date.now() - started < 2000) {
    expect((await token('rotating-svc', secret)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect((await token('rotating-svc', fresh)).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 3500 - (Date.now() - started)));
  expect(await token('rotating-svc', secret)).toEqual(INVALID);
  expect((await token('rotating-svc', fresh)).status).toBe(200);
  const immediate = clients({ CLIENT_SECRET_ROTATION_GRACE: '0' }, 'rotate-secret', 'rotating-svc');
  expect(immediate.stdout).toContain('the previous secret no longer works');
  expect(await token('rotating-svc', fresh)).toEqual(INVALID);
  expect((await token('rotating-svc', secretOf(immediate.stdout))).status).toBe(200);
  expect(clients({}, 'rotate-secret', 'nobody')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no client nobody in Redis\n' });
}, 20_000);
