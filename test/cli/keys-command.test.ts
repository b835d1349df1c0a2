import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { withoutAudit } from '../support/audit-lines.ts';

function tessera(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: withoutAudit(run.stderr) };
}

test('tessera keys generate --alg ES256 writes a key that Tessera loads', async () => {
  const dir = tempDir();
  const run = tessera(['keys', 'generate', '--alg', 'ES256', '--name', 'signing'], { CERTS_DIR: dir });
  expect(run).toEqual({ code: 0, stdout: `wrote ES256 key ${join(dir, 'signing.pem')}\n`, stderr: '' });
  expect(statSync(join(dir, 'signing.pem')).mode & 0o777).toBe(0o600);
  const set = await loadKeys({ dir, requiredAlgs: ['ES256'] });
  expect(set.keys.map((k) => k.source)).toEqual(['signing.pem']);
});

test('an RSA key is pinned to the algorithm asked for in keys.json, beside what keys.json held', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'ES256', 'other');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ other: { kid: 'other-kid' } }));
  expect(tessera(['keys', 'generate', '--alg', 'PS256', '--name', 'ps'], { CERTS_DIR: dir })).toEqual({
    code: 0,
    stdout: `wrote PS256 key ${join(dir, 'ps.pem')} (pinned to PS256 in keys.json)\n`,
    stderr: '',
  });
  expect(tessera(['keys', 'generate', '--alg', 'RS256', '--name', 'rs'], { CERTS_DIR: dir }).code).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'))).toEqual({ other: { kid: 'other-kid' }, ps: { alg: 'PS256' }, rs: { alg: 'RS256' } });
  const set = await loadKeys({ dir, requiredAlgs: ['PS256', 'RS256'] });
  expect(set.keys.map((k) => [k.source, k.algs])).toEqual([
    ['other.pem', ['ES256']],
    ['ps.pem', ['PS256']],
    ['rs.pem', ['RS256']],
  ]);
});

test('an RSA key is not written when keys.json cannot be read', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'keys.json'), '{ not json');
  const run = tessera(['keys', 'generate', '--alg', 'RS256', '--name', 'k'], { CERTS_DIR: dir });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^tessera: CERTS_DIR: keys\.json is not valid JSON \(.+\); no key written\n$/);
  expect(readdirSync(dir)).toEqual(['keys.json']);
});

test('an existing name is refused and the file is left as it was', () => {
  const dir = tempDir();
  tessera(['keys', 'generate', '--alg', 'RS256', '--name', 'k'], { CERTS_DIR: dir });
  const before = statSync(join(dir, 'k.pem')).mtimeMs;
  const run = tessera(['keys', 'generate', '--alg', 'RS256', '--name', 'k'], { CERTS_DIR: dir });
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`tessera: EEXIST: file already exists, open '${join(dir, 'k.pem')}'\n`);
  expect(statSync(join(dir, 'k.pem')).mtimeMs).toBe(before);
});

test('bad usage prints the usage, exits 2 and writes nothing', () => {
  const dir = tempDir();
  const usage = `usage: tessera keys generate --alg ES256|RS256|PS256|EdDSA [--name NAME]
       tessera keys rotate [--immediately]
       tessera keys list
       tessera keys import-dir [--dir DIR]
       tessera keys export-dir --dir DIR
  generate  writes a new private key (PKCS#8 PEM, mode 0600) into CERTS_DIR (or, with
            KEYS_STORE=redis, encrypted into Redis); an RSA key is pinned to --alg.
  rotate    one rotation step: publishes a next key; lets the oldest next key sign once it has
            been published for JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL, retiring the active key;
            drops retired keys once every token they signed has expired.
            --immediately lets a new key sign now (for a compromised key).
  list      every key with its kid, algorithms and state.
  import-dir  copies the keys and states of CERTS_DIR (or --dir) into Redis (KEYS_STORE=redis).
  export-dir  writes the keys and states in Redis into the directory --dir (unencrypted PEM,
            mode 0600, with keys.json), for a move back to KEYS_STORE=files.
`;
  expect(tessera(['keys', 'generate', '--alg', 'HS256'], { CERTS_DIR: dir })).toEqual({
    code: 2,
    stdout: '',
    stderr: `tessera: --alg must be one of ES256, RS256, PS256, EdDSA (got HS256)\n${usage}`,
  });
  expect(tessera(['keys', 'generate', '--name', '../escape'], { CERTS_DIR: dir })).toEqual({
    code: 2,
    stdout: '',
    stderr: `tessera: --name may hold only letters, digits, dot, dash and underscore\n${usage}`,
  });
  expect(tessera(['keys', 'retire'], { CERTS_DIR: dir }).stderr).toBe(`tessera: unknown keys command: retire\n${usage}`);
  expect(tessera(['keys', 'rotate', '--soon'], { CERTS_DIR: dir }).stderr).toBe(`tessera: unknown option --soon\n${usage}`);
  expect(tessera(['nope']).code).toBe(2);
  expect(readdirSync(dir)).toEqual([]);
});
