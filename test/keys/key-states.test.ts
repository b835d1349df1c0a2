import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import { rotateKeys } from '../../src/keys/rotate-keys.ts';
import { signingKeyFor } from '../../src/keys/signing-rule.ts';
import { engineSigningKeys } from '../../src/provider/engine-signing-keys.ts';
import { makeKeyAndCertificate } from '../support/openssl.ts';
import { tempDir } from '../support/tessera.ts';

async function problems(promise: Promise<unknown>): Promise<readonly string[]> {
  return promise.then(
    () => [],
    (err: { problems?: readonly string[] }) => err.problems ?? [],
  );
}

test('active keys sign (the most recently activated first); next and retired keys are only published', async () => {
  const dir = tempDir();
  for (const name of ['a-retired', 'b-next', 'c-old', 'd-new']) generateKeyFile(dir, 'ES256', name);
  writeFileSync(
    join(dir, 'keys.json'),
    JSON.stringify({
      'a-retired': { state: 'retired', since: '2026-01-03T00:00:00Z' },
      'b-next': { state: 'next', since: '2026-01-03T00:00:00Z' },
      'c-old': { state: 'active', since: '2026-01-01T00:00:00Z' },
      'd-new': { state: 'active', since: '2026-01-02T00:00:00+00:00' },
    }),
  );
  const set = await loadKeys({ dir, requiredAlgs: ['ES256'] });
  expect(set.keys.map((k) => [k.stem, k.state])).toEqual([
    ['d-new', 'active'],
    ['c-old', 'active'],
    ['b-next', 'next'],
    ['a-retired', 'retired'],
  ]);
  expect(set.jwks.keys.map((k) => k.kid)).toEqual(set.keys.map((k) => k.kid));
});

test('the engine is left no choice: for each algorithm only the key the signing rule names can sign, every other key only verifies', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'RS256', 'seed');
  for (const name of ['rs-next', 'rs-retired', 'ps-old']) generateKeyFile(dir, 'RS256', name);
  for (const name of ['ec-active', 'ec-next']) generateKeyFile(dir, 'ES256', name);
  writeFileSync(
    join(dir, 'keys.json'),
    JSON.stringify({
      // A pinned next key, which the engine's own ranking would prefer to the unpinned active one.
      'rs-next': { alg: 'RS256', state: 'next', since: '2026-01-03T00:00:00Z' },
      'rs-retired': { alg: 'RS256', state: 'retired', since: '2026-01-02T00:00:00Z' },
      'ps-old': { alg: 'PS256', state: 'active', since: '2026-01-01T00:00:00Z' },
      'ec-active': { state: 'active', since: '2026-01-02T00:00:00Z' },
      'ec-next': { state: 'next', since: '2026-01-03T00:00:00Z' },
    }),
  );
  const keys = await loadKeys({ dir });
  const engine = engineSigningKeys(keys);
  const view = (stem: string) => {
    const key = engine[keys.keys.findIndex((k) => k.stem === stem)]!;
    return { alg: key.alg, key_ops: key.key_ops };
  };
  // The unpinned seed key is active since always, so the dated PS256 key is the more recent signer of PS256.
  expect(signingKeyFor(keys, 'PS256')!.stem).toBe('ps-old');
  expect(signingKeyFor(keys, 'RS256')!.stem).toBe('seed');
  expect(Object.fromEntries(keys.keys.map((k) => [k.stem, view(k.stem)]))).toEqual({
    seed: { alg: 'RS256', key_ops: undefined },
    'ps-old': { alg: 'PS256', key_ops: undefined },
    'ec-active': { alg: 'ES256', key_ops: undefined },
    'rs-next': { alg: 'RS256', key_ops: ['verify'] },
    'ec-next': { alg: 'ES256', key_ops: ['verify'] },
    'rs-retired': { alg: 'RS256', key_ops: ['verify'] },
  });
  expect(signingKeyFor(keys, 'EdDSA')).toBeUndefined();
});

test('a next or retired key signs nothing, even when no active key is left for its algorithm', async () => {
  const dir = tempDir();
  for (const name of ['waiting', 'old']) generateKeyFile(dir, 'ES256', name);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ waiting: { state: 'next' }, old: { state: 'retired' } }));
  const keys = await loadKeys({ dir });
  expect(signingKeyFor(keys, 'ES256')).toBeUndefined();
  expect(engineSigningKeys(keys).map((k) => k.key_ops)).toEqual([['verify'], ['verify']]);
});

test('keys.json is checked: unknown states, bad dates, entries without a file, an algorithm with no active key', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'ES256', 'waiting');
  generateKeyFile(dir, 'RS256', 'rsa');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ waiting: { state: 'next' }, rsa: { state: 'signing', since: 'yesterday' } }));
  expect(await problems(loadKeys({ dir }))).toEqual([
    'CERTS_DIR: keys.json rsa.state: must be one of next, active, retired',
    'CERTS_DIR: keys.json rsa.since: must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z',
  ]);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ waiting: { state: 'next' }, gone: { state: 'retired' } }));
  expect(await problems(loadKeys({ dir, requiredAlgs: ['ES256'] }))).toEqual([
    'CERTS_DIR: keys.json names gone, but there is no key file gone.pem, gone.key or gone.pfx',
    `CERTS_DIR: no active key in ${dir} can sign ES256, which ACCESS_TOKEN_ALG or a resource server asks for (waiting.pem is next; run: tessera keys rotate)`,
  ]);
});

test('rotation drops a retired key and its certificate once its tokens have expired, and encrypts new keys with CERTS_PASSPHRASE', async () => {
  const dir = tempDir();
  makeKeyAndCertificate(dir, 'current', 'ec');
  const config = loadConfig({ CERTS_DIR: dir, CERTS_PASSPHRASE: 'rotation passphrase', ACCESS_TOKEN_TTL: '600', ID_TOKEN_TTL: '300' });
  const t0 = Date.parse('2030-01-01T00:00:00Z');
  const first = await rotateKeys({ config, now: t0 });
  const next = first.generate[0]!.stem;
  expect(readFileSync(join(dir, `${next}.pem`), 'utf8')).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  const second = await rotateKeys({ config, now: t0 + 360_000 });
  expect(second.promoted.map((p) => [p.key.stem, p.retired.map((r) => r.stem)])).toEqual([[next, ['current']]]);

  // The longest token lives 600 s; a minute of clock skew on top.
  // Each step also moves the keys along: the key published by step two signs from here on.
  const kept = await rotateKeys({ config, now: t0 + 360_000 + 659_000 });
  expect(kept.drop).toEqual([]);
  expect(kept.promoted.map((p) => p.retired.map((r) => r.stem))).toEqual([[next]]);
  expect(
    readdirSync(dir)
      .filter((name) => name.startsWith('current'))
      .sort(),
  ).toEqual(['current.crt', 'current.key']);
  const dropped = await rotateKeys({ config, now: t0 + 360_000 + 660_000 });
  expect(dropped.drop.map((k) => k.stem)).toEqual(['current']);
  expect(readdirSync(dir).filter((name) => name.startsWith('current'))).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as Record<string, { state: string }>;
  expect(manifest[next]).toMatchObject({ state: 'retired' });
  expect(
    Object.values(manifest)
      .map((e) => e.state)
      .sort(),
  ).toEqual(['active', 'next', 'retired']);
  const loaded = await loadKeys({ dir, passphrase: 'rotation passphrase', requiredAlgs: ['ES256'] });
  expect(loaded.keys.map((k) => k.state)).toEqual(['active', 'next', 'retired']);
});

test('two rotations at once: the second is refused while the first holds the lock', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'ES256', 'current');
  const config = loadConfig({ CERTS_DIR: dir });
  writeFileSync(join(dir, '.rotation.lock'), '');
  await expect(rotateKeys({ config })).rejects.toThrow(`another key rotation is running in ${dir} (.rotation.lock); try again in a minute`);
  expect(readdirSync(dir).sort()).toEqual(['.rotation.lock', 'current.pem']);
});
