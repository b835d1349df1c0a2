import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import { createAudit } from '../../src/observability/audit-log.ts';
import { scrubAuditFields } from '../../src/observability/audit-scrub.ts';
import { auditLogger } from '../../src/observability/audit-stream.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { destinationOf } from '../../src/observability/pino-stream.ts';
import type { AuditEvent } from '../../src/observability/audit-catalogue.ts';
import { configProblems } from '../support/config-problems.ts';
import { runTesseraExpectingFailure, startTessera, tempDir } from '../support/tessera.ts';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const audit = createAudit(
    createLogger('info', {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    }),
  );
  return { lines, audit };
}

test('the scrubber takes out fields named as secrets at any depth and values shaped as JWTs, and names what it took', () => {
  expect(
    scrubAuditFields({
      user: 'digest',
      password: 'hunter2',
      client_secret: 's',
      refresh_token: 'r',
      code: 'c',
      user_code: 'u',
      code_verifier: 'v',
      nested: { access_token: 'a', cookie: 'k', ok: 1, list: [JWT, 'fine'] },
      subject: JWT,
      Authorization: 'Basic x',
      private_key: 'p',
      pem: '---',
      tokens: 2,
      kind: 'RefreshToken',
      grantId: 'g-1',
    }),
  ).toEqual({
    fields: { user: 'digest', nested: { ok: 1, list: ['fine'] }, tokens: 2, kind: 'RefreshToken', grantId: 'g-1' },
    removed: [
      'password',
      'client_secret',
      'refresh_token',
      'code',
      'user_code',
      'code_verifier',
      'nested.access_token',
      'nested.cookie',
      'nested.list[0]',
      'subject',
      'Authorization',
      'private_key',
      'pem',
    ],
  });
});

test('audit() writes one line: event, audit marker, actor, target, outcome, request id, its fields; a secret passed by mistake never reaches it', () => {
  const { lines, audit } = captured();
  audit({ event: 'consent.given', actor: 'user:u-1', target: 'client:webapp', outcome: 'success', requestId: 'r-1', grantId: 'g-1', scope: 'openid' });
  // A caller that slips a token in: the type refuses it, and so does the scrubber at run time.
  audit({
    event: 'login.failed',
    actor: 'anonymous',
    target: 'client:webapp',
    outcome: 'failure',
    requestId: 'r-2',
    user: JWT,
    ip: '192.0.2.1',
    failures: { username: 1 },
    password: 'hunter2',
  } as unknown as AuditEvent);
  expect(lines).toEqual([
    {
      level: 'info',
      time: expect.any(String),
      service: 'tessera',
      event: 'consent.given',
      audit: true,
      actor: 'user:u-1',
      target: 'client:webapp',
      outcome: 'success',
      requestId: 'r-1',
      grantId: 'g-1',
      scope: 'openid',
      msg: 'consent.given user:u-1 → client:webapp: success',
    },
    {
      level: 'warn',
      time: expect.any(String),
      service: 'tessera',
      event: 'login.failed',
      audit: true,
      actor: 'anonymous',
      target: 'client:webapp',
      outcome: 'failure',
      requestId: 'r-2',
      ip: '192.0.2.1',
      failures: { username: 1 },
      scrubbed: ['user', 'password'],
      msg: 'login.failed anonymous → client:webapp: failure',
    },
  ]);
  expect(JSON.stringify(lines)).not.toMatch(/hunter2|eyJ/);
});

test('AUDIT_LOG: stdout by default; stderr or a file that can be appended to; anything else is refused with a message naming the setting', () => {
  expect(loadConfig({}).auditLog).toBe('stdout');
  expect(loadConfig({ AUDIT_LOG: 'stderr' }).auditLog).toBe('stderr');
  const dir = tempDir();
  expect(loadConfig({ AUDIT_LOG: join(dir, 'new.log') }).auditLog).toBe(join(dir, 'new.log'));
  writeFileSync(join(dir, 'old.log'), 'kept\n');
  expect(loadConfig({ AUDIT_LOG: join(dir, 'old.log') }).auditLog).toBe(join(dir, 'old.log'));
  mkdirSync(join(dir, 'sub'));
  const use = '(use stdout, stderr or the path of a file to append to)';
  expect(configProblems({ AUDIT_LOG: join(dir, 'sub') })).toEqual([`AUDIT_LOG: ${join(dir, 'sub')} is a directory ${use}`]);
  expect(configProblems({ AUDIT_LOG: join(dir, 'missing', 'a.log') })).toEqual([
    `AUDIT_LOG: the directory of ${join(dir, 'missing', 'a.log')} does not exist ${use}`,
  ]);
  expect(configProblems({ AUDIT_LOG: join(dir, 'old.log', 'a.log') })).toEqual([`AUDIT_LOG: ${join(dir, 'old.log')} is not a directory ${use}`]);
});

test('a bad AUDIT_LOG stops Tessera at start with that message, no stack trace', async () => {
  const run = await runTesseraExpectingFailure({ AUDIT_LOG: '/nonexistent-dir/audit.log', CERTS_DIR: tempDir() });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('AUDIT_LOG: the directory of /nonexistent-dir/audit.log does not exist (use stdout, stderr or the path of a file to append to)');
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

test("the audit stream writes its events whatever LOG_LEVEL says, on the log's own destination for stdout", () => {
  const written: string[] = [];
  const destination = {
    write: (line: string) => {
      written.push(line);
    },
  };
  const logger = createLogger('error', destination);
  createAudit(auditLogger('stdout', { stdout: destinationOf(logger) }))({ event: 'logout', actor: 'user:u-1', target: 'client:webapp', outcome: 'success' });
  logger.info({ event: 'routine' }, 'below LOG_LEVEL');
  expect(written.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
    {
      level: 'info',
      time: expect.any(String),
      service: 'tessera',
      event: 'logout',
      audit: true,
      actor: 'user:u-1',
      target: 'client:webapp',
      outcome: 'success',
      msg: 'logout user:u-1 → client:webapp: success',
    },
  ]);
});

test('AUDIT_LOG=stderr: audit events go to stderr, the access log stays on stdout', async () => {
  const tessera = await startTessera({ env: { AUDIT_LOG: 'stderr' }, redis: false });
  const streams = { stdout: '', stderr: '' };
  tessera.process.stdout!.on('data', (chunk: Buffer) => {
    streams.stdout += chunk.toString();
  });
  tessera.process.stderr!.on('data', (chunk: Buffer) => {
    streams.stderr += chunk.toString();
  });
  const parsed = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  try {
    await (
      await fetch(`${tessera.url}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('nobody:wrong-secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'x-request-id': 'stream-1',
        },
        body: 'grant_type=client_credentials',
      })
    ).arrayBuffer();
    await tessera.logsOnce((l) => l.event === 'http.request' && l.requestId === 'stream-1');
    expect(parsed(streams.stderr)).toEqual([
      {
        level: 'warn',
        time: expect.any(String),
        service: 'tessera',
        event: 'client.auth_failed',
        audit: true,
        actor: 'client:nobody',
        target: 'endpoint:token',
        outcome: 'failure',
        requestId: 'stream-1',
        endpoint: 'token',
        reason: 'client not found',
        msg: 'client.auth_failed client:nobody → endpoint:token: failure',
      },
    ]);
    // The operational log and the access log stay on stdout, without the audit.
    expect(
      parsed(streams.stdout)
        .filter((l) => l.requestId === 'stream-1')
        .map((l) => [l.event, l.audit]),
    ).toEqual([
      ['grant.error', undefined],
      ['http.request', undefined],
    ]);
    expect(parsed(tessera.output()).filter((l) => l.audit && l.event === 'config.fingerprint')).toHaveLength(1);
    expect(tessera.output()).not.toContain('wrong-secret');
  } finally {
    await tessera.stop();
  }
});
