import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import { configProblems as problemsOf } from '../support/config-problems.ts';
import { runTesseraExpectingFailure, tempDir } from '../support/tessera.ts';

const KEY = randomBytes(32).toString('base64');
const REDIS = { KEYS_STORE: 'redis', REDIS_URL: 'redis://cache:6379', CONFIG_FILE: '' };

function file(content: string): string {
  const path = join(tempDir(), 'kek');
  writeFileSync(path, content);
  return path;
}

test('KEYS_STORE defaults to files and needs no key-encryption key', () => {
  expect(loadConfig({ CONFIG_FILE: '' })).toMatchObject({ keysStore: 'files' });
  expect(loadConfig({ CONFIG_FILE: '' }).keysEncryptionKey).toBeUndefined();
});

test('KEYS_STORE=redis takes the key-encryption key from the environment or a file', () => {
  expect(loadConfig({ ...REDIS, KEYS_ENCRYPTION_KEY: KEY }).keysEncryptionKey).toBe(KEY);
  expect(loadConfig({ ...REDIS, KEYS_ENCRYPTION_KEY_FILE: file(`${KEY}\n`) }).keysEncryptionKey).toBe(KEY);
});

test('KEYS_STORE=redis refuses a missing, malformed, doubled or unreadable key-encryption key, and no Redis, by name', () => {
  expect(problemsOf(REDIS)).toEqual([
    'KEYS_ENCRYPTION_KEY: is required with KEYS_STORE=redis (32 random bytes in base64: openssl rand -base64 32), or KEYS_ENCRYPTION_KEY_FILE',
  ]);
  expect(problemsOf({ ...REDIS, KEYS_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toEqual([
    'KEYS_ENCRYPTION_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)',
  ]);
  expect(problemsOf({ ...REDIS, KEYS_ENCRYPTION_KEY: 'not base64 at all!' })).toEqual([
    'KEYS_ENCRYPTION_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)',
  ]);
  expect(problemsOf({ ...REDIS, KEYS_ENCRYPTION_KEY_FILE: file('short') })).toEqual([
    'KEYS_ENCRYPTION_KEY_FILE: must be 32 random bytes in base64 (openssl rand -base64 32)',
  ]);
  const missing = join(tempDir(), 'absent');
  expect(problemsOf({ ...REDIS, KEYS_ENCRYPTION_KEY_FILE: missing })).toEqual([`KEYS_ENCRYPTION_KEY_FILE: cannot read ${missing} (ENOENT)`]);
  expect(problemsOf({ ...REDIS, KEYS_ENCRYPTION_KEY: KEY, KEYS_ENCRYPTION_KEY_FILE: file(KEY) })).toEqual([
    'KEYS_ENCRYPTION_KEY: set it or KEYS_ENCRYPTION_KEY_FILE, not both',
  ]);
  expect(problemsOf({ KEYS_STORE: 'redis', KEYS_ENCRYPTION_KEY: KEY, CONFIG_FILE: '' })).toEqual([
    'KEYS_STORE: redis needs REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS',
  ]);
  expect(problemsOf({ KEYS_STORE: 'vault', CONFIG_FILE: '' })).toEqual(['KEYS_STORE: must be files or redis']);
});

test('production with KEYS_STORE=redis asks nothing of CERTS_DIR, and still applies its guards', () => {
  const production = { NODE_ENV: 'production', ISSUER: 'https://id.example.com', COOKIE_KEYS: 'k'.repeat(32), CERTS_DIR: tempDir() };
  expect(loadConfig({ ...production, ...REDIS, KEYS_ENCRYPTION_KEY: KEY })).toMatchObject({ keysStore: 'redis' });
  expect(problemsOf({ ...production, KEYS_STORE: 'redis', CONFIG_FILE: '' })).toEqual([
    'KEYS_STORE: redis needs REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS',
    'KEYS_ENCRYPTION_KEY: is required with KEYS_STORE=redis (32 random bytes in base64: openssl rand -base64 32), or KEYS_ENCRYPTION_KEY_FILE',
    'REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
  ]);
});

test('node src/main.ts with KEYS_STORE=redis and no key-encryption key refuses to start, naming the setting, no stack trace', async () => {
  const { code, stdout, stderr } = await runTesseraExpectingFailure({ KEYS_STORE: 'redis', REDIS_URL: process.env.REDIS_URL!, CERTS_DIR: tempDir() });
  expect(code).toBe(1);
  expect(`${stdout}${stderr}`).toContain('KEYS_ENCRYPTION_KEY: is required with KEYS_STORE=redis');
  expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
});
