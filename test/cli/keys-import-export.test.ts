import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, tempDir } from '../support/tessera.ts';
import { withoutAudit } from '../support/audit-lines.ts';

const KEK = randomBytes(32).toString('base64');

function tessera(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'keys', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CONFIG_FILE: '', ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: withoutAudit(run.stderr) };
}

test('import-dir copies CERTS_DIR keys and states into Redis, export-dir writes them back; the same kids and states each way', () => {
  const source = tempDir('tessera-import-');
  const files = { CERTS_DIR: source, JWKS_MAX_AGE: '1', KEYS_RELOAD_INTERVAL: '0' };
  expect(tessera(['generate', '--alg', 'ES256', '--name', 'first'], files)).toMatchObject({ code: 0 });
  expect(tessera(['generate', '--alg', 'RS256', '--name', 'rsa'], files)).toMatchObject({ code: 0 });
  expect(tessera(['rotate'], files)).toMatchObject({ code: 0 });
  const listed = tessera(['list'], files).stdout;
  expect(listed.split('\n').filter(Boolean)).toHaveLength(4);

  const redis = {
    ...files,
    KEYS_STORE: 'redis',
    KEYS_ENCRYPTION_KEY: KEK,
    REDIS_URL: process.env.REDIS_URL!,
    REDIS_KEY_PREFIX: `test-import-${process.pid}:`,
    CERTS_DIR: tempDir('tessera-empty-'),
  };
  expect(tessera(['import-dir'], redis)).toMatchObject({ code: 1, stderr: expect.stringContaining('holds no key to copy') });
  const imported = tessera(['import-dir', '--dir', source], redis);
  expect(imported).toMatchObject({ code: 0, stderr: '' });
  expect(imported.stdout.trim().split('\n')).toHaveLength(4);
  // The same keys, kids and states; Redis names each key by its file's stem.
  expect(tessera(['list'], redis).stdout).toBe(listed.replaceAll('.pem ', ' ').replaceAll('.pem\n', '\n'));
  expect(tessera(['import-dir', '--dir', source], redis)).toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/^tessera: Redis already holds a key named \S+\n$/),
  });

  const target = tempDir('tessera-export-');
  expect(tessera(['export-dir', '--dir', target], redis)).toMatchObject({ code: 0, stderr: '' });
  expect(readdirSync(target)).toContain('keys.json');
  expect(JSON.parse(readFileSync(join(target, 'keys.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(source, 'keys.json'), 'utf8')));
  expect(tessera(['list'], { ...files, CERTS_DIR: target }).stdout).toBe(listed);
  expect(tessera(['export-dir'], redis)).toMatchObject({ code: 2, stderr: expect.stringContaining('tessera: export-dir needs --dir DIR') });
  expect(tessera(['import-dir'], files)).toMatchObject({ code: 2, stderr: expect.stringContaining('tessera: import-dir needs KEYS_STORE=redis') });
});
