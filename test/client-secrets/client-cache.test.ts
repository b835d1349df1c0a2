import { Redis } from 'ioredis';

import { startTessera } from '../support/tessera.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// Two instances on one Redis remember stored clients (CLIENT_CACHE_TTL): a change made through
// `tessera clients` reaches both at once by its announcement; a change behind Tessera's back (no
// announcement) is seen after CLIENT_CACHE_TTL, which shows the clients are remembered at all.
const PREFIX = `cache-${process.pid}:`;
const TTL = 2;
let instances: TesseraProcess[];
let redis: Redis;
let env: { REDIS_URL: string; REDIS_KEY_PREFIX: string };

beforeAll(async () => {
  const shared = { REDIS_KEY_PREFIX: PREFIX, CLIENT_CACHE_TTL: String(TTL) };
  instances = await Promise.all([startTessera({ env: shared }), startTessera({ env: shared })]);
  env = instances[0]!.redisEnv!;
  redis = new Redis(env.REDIS_URL);
});

afterAll(async () => {
  redis.disconnect();
  await Promise.all(instances.map((t) => t.stop()));
});

const clients = (...args: string[]) => tesseraCli(env, 'clients', ...args);
const secretOf = (stdout: string): string => /client_secret: ([\w-]+)/.exec(stdout)![1]!;

async function token(instance: TesseraProcess, id: string, secret: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${instance.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const INVALID = { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
const statuses = (id: string, secret: string) => Promise.all(instances.map(async (t) => (await token(t, id, secret)).status));

test('an announced change reaches every instance at once, though both remember the client', async () => {
  const secret = secretOf(clients('add', 'cached-svc', '--grant-types', 'client_credentials').stdout);
  expect(await statuses('cached-svc', secret)).toEqual([200, 200]);
  const rotated = clients('reset-secret', 'cached-svc');
  expect(rotated.code).toBe(0);
  const fresh = secretOf(rotated.stdout);
  for (const instance of instances) expect(await token(instance, 'cached-svc', secret)).toEqual(INVALID);
  expect(await statuses('cached-svc', fresh)).toEqual([200, 200]);
  expect(clients('remove', 'cached-svc').code).toBe(0);
  for (const instance of instances) expect(await token(instance, 'cached-svc', fresh)).toEqual(INVALID);
});

test('a change without announcement is seen within CLIENT_CACHE_TTL: the client was remembered', async () => {
  const secret = secretOf(clients('add', 'unannounced-svc', '--grant-types', 'client_credentials').stdout);
  expect(await statuses('unannounced-svc', secret)).toEqual([200, 200]);
  // Deleted behind Tessera's back: no instance hears of it.
  expect(await redis.del(`${PREFIX}{Client:unannounced-svc}`)).toBe(1);
  const deleted = Date.now();
  expect(await statuses('unannounced-svc', secret)).toEqual([200, 200]);
  await new Promise((resolve) => setTimeout(resolve, TTL * 1000 + 200 - (Date.now() - deleted)));
  for (const instance of instances) expect(await token(instance, 'unannounced-svc', secret)).toEqual(INVALID);
});
