import { startAdminFixture } from '../admin/support/admin-fixture.ts';
import type { AdminFixture } from '../admin/support/admin-fixture.ts';
import { tempDir } from '../support/tessera.ts';
import { auditFile, auditLine, secretsIn } from './audit-stream.ts';

const audit = auditFile();
let admin: AdminFixture;

beforeAll(async () => {
  admin = await startAdminFixture({ env: { AUDIT_LOG: audit.path, CERTS_DIR: tempDir('tessera-certs-'), KEYS_RELOAD_INTERVAL: '0', NODE_ENV: 'test' } });
});

afterAll(async () => {
  await admin.stop();
});

test('admin.audit, and key.generated / key.promoted / key.retired of a rotation through the admin API, with the admin client as actor', async () => {
  const token = await admin.token('admin:keys');
  const rotated = await admin.call('POST', '/keys/rotate', { token, body: { immediately: true }, headers: { 'x-request-id': 'admin-rotate' } });
  expect(rotated.status).toBe(200);
  const result = rotated.body as { generated: string[]; promoted: { file: string; retired: { file: string }[] }[] };
  const events = (await audit.once((e) => e.event === 'admin.audit' && e.requestId === 'admin-rotate')).filter((e) => e.requestId === 'admin-rotate');
  const key = (event: string, stem: string) =>
    expect.objectContaining({ event, actor: 'client:ops', target: `key:${stem}`, outcome: 'success', requestId: 'admin-rotate' });
  expect(events).toEqual([
    ...result.generated.map((stem) => key('key.generated', stem)),
    ...result.promoted.flatMap(({ file, retired }) => [key('key.promoted', file), ...retired.map((r) => key('key.retired', r.file))]),
    auditLine('info', {
      event: 'admin.audit',
      actor: 'client:ops',
      target: 'keys',
      outcome: 'success',
      requestId: 'admin-rotate',
      action: 'keys.rotate',
      status: 200,
    }),
  ]);
  expect(events[0]).toEqual(
    auditLine('info', {
      event: 'key.generated',
      actor: 'client:ops',
      target: `key:${result.generated[0]!}`,
      outcome: 'success',
      requestId: 'admin-rotate',
      alg: expect.stringMatching(/^(ES256|RS256|PS256|EdDSA)$/),
    }),
  );
  expect(result.promoted.length).toBeGreaterThan(0);
  expect(secretsIn(audit.text(), [token])).toEqual([]);
});
