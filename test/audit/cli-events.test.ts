import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';

import { auditLines, withoutAudit } from '../support/audit-lines.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { auditFile, secretsIn } from './audit-stream.ts';

const PASSWORD = 'correct horse battery staple';
const OPERATOR = `operator:${userInfo().username}`;
const prefix = `cli-audit-${process.pid}:`;

/** Runs `tessera <args>` on the test Redis with `env`; exit code and output. */
function tessera(args: string[], env: Record<string, string> = {}, input = '') {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { PATH: process.env.PATH ?? '', CONFIG_FILE: '', REDIS_URL: process.env.REDIS_URL ?? '', REDIS_KEY_PREFIX: prefix, CERTS_DIR: tempDir(), ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A `cli.change` line as the CLI writes it: no request id, the operator as actor. */
const change = (command: string, target: string, exitCode = 0) => ({
  level: 'info',
  time: expect.any(String),
  service: 'tessera',
  event: 'cli.change',
  audit: true,
  actor: OPERATOR,
  target,
  outcome: exitCode === 0 ? 'success' : 'failure',
  command,
  exitCode,
  msg: expect.any(String),
});

test('cli.change: every change through the CLI goes to the AUDIT_LOG file with operator, target, command and outcome; reads and bad usage do not', () => {
  const audit = auditFile();
  const env = { AUDIT_LOG: audit.path };
  expect(tessera(['users', 'add', 'alice'], env, `${PASSWORD}\n`).code).toBe(0);
  expect(tessera(['users', 'list'], env).code).toBe(0);
  expect(tessera(['users', 'disable', 'alice'], env).code).toBe(0);
  const added = tessera(['clients', 'add', 'billing', '--grant-types', 'client_credentials'], env);
  expect(added.code).toBe(0);
  const reset = tessera(['clients', 'reset-secret', 'billing'], env);
  expect(reset.code).toBe(0);
  expect(tessera(['clients', 'show', 'billing'], env).code).toBe(0);
  expect(tessera(['revoke', '--sub', 'some-sub'], env).code).toBe(0);
  expect(tessera(['revoke', '--grant=some-grant'], env).code).toBe(0);
  expect(tessera(['clients', 'remove', 'nobody'], env)).toEqual({ code: 1, stdout: '', stderr: 'tessera: no client nobody in Redis\n' });
  expect(tessera(['users', 'disable'], env).code).toBe(2);
  expect(tessera(['users', 'add', 'bob'], env, `${PASSWORD}\n`).stderr).toBe('');

  expect(audit.events()).toEqual([
    change('users add', 'user:alice'),
    change('users disable', 'user:alice'),
    change('clients add', 'client:billing'),
    change('clients reset-secret', 'client:billing'),
    change('revoke', 'subject:some-sub'),
    change('revoke', 'grant:some-grant'),
    change('clients remove', 'client:nobody', 1),
    change('users add', 'user:bob'),
  ]);
  const printed = [...added.stdout.matchAll(/^client_secret: (\S+)$/gm), ...reset.stdout.matchAll(/^client_secret: (\S+)$/gm)].map((m) => m[1]);
  expect(printed).toEqual([expect.stringMatching(/^[\w-]{32,}$/), expect.stringMatching(/^[\w-]{32,}$/)]);
  expect(secretsIn(audit.text(), [PASSWORD, ...printed])).toEqual([]);
});

test('cli.change: with AUDIT_LOG stdout (the default) the CLI writes its audit to stderr, its stdout left to the command', () => {
  const run = tessera(['users', 'add', 'carol'], {}, `${PASSWORD}\n`);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^created user carol \(sub [\w-]+\)\n$/);
  expect(withoutAudit(run.stderr)).toBe('');
  expect(auditLines(run.stderr)).toEqual([change('users add', 'user:carol')]);
  expect(run.stderr).not.toContain(PASSWORD);
});

test('cli.change: with an unusable AUDIT_LOG the command fails on the setting, and its audit still reaches stderr', () => {
  const run = tessera(['users', 'disable', 'carol'], { AUDIT_LOG: '/nonexistent-dir/audit.log' });
  expect(run.code).toBe(1);
  expect(withoutAudit(run.stderr)).toContain(
    'AUDIT_LOG: the directory of /nonexistent-dir/audit.log does not exist (use stdout, stderr or the path of a file to append to)',
  );
  expect(auditLines(run.stderr)).toEqual([change('users disable', 'user:carol', 1)]);
});
