import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import { fileKeyStore } from '../../src/keys/file-key-store.ts';
import { rotateKeys } from '../../src/keys/rotate-keys.ts';
import { auditRotation } from '../../src/observability/audit-keys.ts';
import { createAudit } from '../../src/observability/audit-log.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { auditFile, secretsIn } from './audit-stream.ts';

const OPERATOR = `operator:${userInfo().username}`;

function keys(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'keys', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  expect(run.status).toBe(0);
  return run.stdout;
}

/** A key event as written by the CLI (no request id). */
const keyEvent = (event: string, actor: string, stem: string) => ({
  level: 'info',
  time: expect.any(String),
  service: 'tessera',
  event,
  audit: true,
  actor,
  target: `key:${stem}`,
  outcome: 'success',
  alg: 'ES256',
  msg: expect.any(String),
});
const STEM = /^es256-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

test('key.generated, key.promoted, key.retired: each key the CLI generates, lets sign or retires, named by stem, never by its material', () => {
  const dir = tempDir('tessera-certs-');
  const audit = auditFile();
  const env = { CERTS_DIR: dir, AUDIT_LOG: audit.path };
  keys(['generate', '--alg', 'ES256', '--name', 'first'], env);
  const published = /published new key (\S+) /.exec(keys(['rotate'], env))![1]!;
  keys(['rotate', '--immediately'], env);
  const events = audit.events().filter((e) => e.event !== 'cli.change');
  const next = String(events.at(-3)!.target).slice('key:'.length);
  expect(published).toMatch(STEM);
  expect(next).toMatch(STEM);
  expect(events).toEqual([
    keyEvent('key.generated', OPERATOR, 'first'),
    keyEvent('key.generated', OPERATOR, published),
    keyEvent('key.generated', OPERATOR, next),
    keyEvent('key.promoted', OPERATOR, published),
    keyEvent('key.retired', OPERATOR, 'first'),
  ]);
  const pems = ['first', published, next].map((stem) =>
    readFileSync(join(dir, `${stem}.pem`), 'utf8')
      .split('\n')
      .slice(1, -2)
      .join(''),
  );
  expect(secretsIn(audit.text(), pems)).toEqual([]);
});

test('key.dropped: a retired key taken out once every token it signed has expired', async () => {
  const dir = tempDir('tessera-certs-');
  const env = { CERTS_DIR: dir, AUDIT_LOG: auditFile().path };
  keys(['generate', '--alg', 'ES256', '--name', 'old'], env);
  keys(['rotate'], env);
  keys(['rotate', '--immediately'], env);
  const lines: Record<string, unknown>[] = [];
  const audit = createAudit(
    createLogger('info', {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    }),
  );
  const config = loadConfig({ CERTS_DIR: dir });
  // A day later every token the retired key signed has expired.
  const plan = await rotateKeys({ config, store: fileKeyStore({ dir }), now: Date.now() + 86_400_000 });
  auditRotation(audit, plan, 'system', 'rotation-1');
  expect(lines.filter((l) => l.event === 'key.dropped')).toEqual([
    {
      level: 'info',
      time: expect.any(String),
      service: 'tessera',
      event: 'key.dropped',
      audit: true,
      actor: 'system',
      target: 'key:old',
      outcome: 'success',
      requestId: 'rotation-1',
      alg: 'ES256',
      msg: 'key.dropped system → key:old: success',
    },
  ]);
});
