import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';
import { decodeProtectedHeader } from 'jose';

import { redisKeyStore } from '../../src/keys/redis-key-store.ts';
import { createVerifier } from '../../src/resource-server/index.ts';
import { freePort } from '../support/redis-server.ts';
import { ROOT, startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { withoutAudit } from '../support/audit-lines.ts';

const BASIC = `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`;
/** Seconds the JWKS is cached and between version checks: a new key waits 5 s before it signs. */
const JWKS_MAX_AGE = 3;
const KEYS_RELOAD_INTERVAL = 2;
const KEK = randomBytes(32).toString('base64');
const PREFIX = `fleet-keys-${process.pid}:`;

let redis: Redis;
let proxy: Server;
let issuer: string;
let instances: TesseraProcess[];
let certsDirs: string[];

function settings(certsDir: string): Record<string, string> {
  return {
    KEYS_STORE: 'redis',
    KEYS_ENCRYPTION_KEY: KEK,
    REDIS_URL: process.env.REDIS_URL!,
    REDIS_KEY_PREFIX: PREFIX,
    CERTS_DIR: certsDir,
    ISSUER: issuer,
    JWKS_MAX_AGE: String(JWKS_MAX_AGE),
    KEYS_RELOAD_INTERVAL: String(KEYS_RELOAD_INTERVAL),
  };
}

function keysCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'keys', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CONFIG_FILE: '', ...settings(tempDir('tessera-cli-certs-')) },
  });
  return { code: run.status, stdout: run.stdout, stderr: withoutAudit(run.stderr) };
}

/** A round-robin load balancer on loopback in front of the instances: the issuer URL every token names. */
async function startBalancer(port: number): Promise<Server> {
  let turn = 0;
  const server = createServer((incoming, outgoing) => {
    const target = instances[turn++ % instances.length]!;
    const forward = request({ host: '127.0.0.1', port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  return server;
}

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  expect(keysCli('generate', '--alg', 'ES256', '--name', 'first')).toMatchObject({ code: 0 });
  certsDirs = [tempDir('tessera-certs-a-'), tempDir('tessera-certs-b-')];
  instances = await Promise.all(certsDirs.map((dir) => startTessera({ env: settings(dir) })));
  proxy = await startBalancer(port);
}, 60_000);

afterAll(async () => {
  await Promise.all([...instances.map((i) => i.stop()), new Promise((closed) => proxy.close(closed)), redis.quit()]);
});

async function accessToken(instance: TesseraProcess): Promise<string> {
  const response = await fetch(`${instance.url}/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=api:read',
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Every string value under the key prefix. */
async function storedValues(): Promise<string[]> {
  const values: string[] = [];
  for (const key of await redis.keys(`${PREFIX}*`)) {
    const type = await redis.type(key);
    if (type === 'string') values.push(key, (await redis.get(key))!);
    if (type === 'hash') values.push(key, ...Object.entries(await redis.hgetall(key)).flat());
  }
  return values;
}

test('two instances on one Redis rotate keys through `tessera keys rotate` while a resource server with a cached JWKS accepts every token', async () => {
  const verifier = createVerifier({ authority: issuer, audience: 'resource_server', cooldown: 1 });
  await verifier.ready();
  const failures: string[] = [];
  const kids: string[][] = [[], []];
  let running = true;
  const traffic = (async () => {
    for (let round = 0; running; round++) {
      const index = round % 2;
      try {
        const token = await accessToken(instances[index]!);
        await verifier.verify(token);
        kids[index]!.push(decodeProtectedHeader(token).kid!);
      } catch (err) {
        failures.push(`instance ${index}: ${(err as Error).message}`);
      }
      await sleep(50);
    }
  })();

  await sleep(500);
  const published = keysCli('rotate');
  expect(published).toMatchObject({ code: 0, stderr: '' });
  expect(published.stdout).toMatch(/^published new key (es256-\S+) \(ES256\): may sign from /m);
  const next = /published new key (\S+)/.exec(published.stdout)![1]!;
  await sleep((JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL + 1) * 1000);
  const switched = keysCli('rotate');
  expect(switched).toMatchObject({ code: 0, stderr: '' });
  expect(switched.stdout).toContain(`${next} (ES256) now signs`);
  expect(switched.stdout).toContain('retired first: published until');
  await sleep(3000);
  running = false;
  await traffic;

  expect(failures).toEqual([]);
  const [first, second] = [kids[0]!, kids[1]!];
  for (const seen of [first, second]) {
    expect(seen.length).toBeGreaterThan(20);
    expect(new Set(seen).size).toBe(2);
    expect(seen.at(-1)).not.toBe(seen[0]);
  }
  expect(first.at(-1)).toBe(second.at(-1));
  expect(keysCli('list').stdout).toMatch(new RegExp(`^active\\s+${first.at(-1)}\\s+ES256\\s+${next}`, 'm'));
  for (const dir of certsDirs) expect(readdirSync(dir)).toEqual([]);
}, 60_000);

test('Redis holds no private key in plaintext: neither the PEM nor the JWK `d` of any key', async () => {
  const keys = await redisKeyStore({ redis, prefix: PREFIX, encryptionKey: Buffer.from(KEK, 'base64') }).load();
  expect(keys.keys.length).toBeGreaterThanOrEqual(2);
  const stored = (await storedValues()).join('\n');
  expect(stored).toContain('"key":{"iv":');
  expect(stored).not.toContain('PRIVATE KEY');
  for (const key of keys.keys) {
    const d = key.privateJwk.d!;
    const pem = createPrivateKey({
      key: { kty: key.privateJwk.kty, crv: key.privateJwk.crv, x: key.privateJwk.x, y: key.privateJwk.y, d } as JsonWebKey,
      format: 'jwk',
    })
      .export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    expect(stored).not.toContain(d);
    expect(stored).not.toContain(Buffer.from(d, 'base64url').toString('base64'));
    expect(stored).not.toContain(pem.slice(0, 64));
  }
});
