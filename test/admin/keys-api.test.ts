import { decodeProtectedHeader } from 'jose';

import { tempDir } from '../support/tessera.ts';
import { problem, startAdminFixture } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';

let admin: AdminFixture;
let usersOnly: string;

beforeAll(async () => {
  admin = await startAdminFixture({ env: { CERTS_DIR: tempDir('tessera-certs-'), JWKS_MAX_AGE: '5', KEYS_RELOAD_INTERVAL: '0', NODE_ENV: 'test' } });
  usersOnly = await admin.token('admin:users', 'users-only');
});

afterAll(async () => {
  await admin.stop();
});

type Key = { kid: string; file: string; algs: string[]; state: string; since: string | null };
const es256 = (keys: Key[]) => keys.filter((k) => k.algs.includes('ES256'));

test('list the keys with states and dates; rotate immediately: the new key signs at once, the old one stays published', async () => {
  const token = await admin.token('admin:keys');
  const listed = await admin.call('GET', '/keys', { token });
  expect(listed.status).toBe(200);
  const before = es256((listed.body as { items: Key[] }).items);
  expect(before).toEqual([{ kid: expect.any(String), file: expect.any(String), algs: ['ES256'], state: 'active', since: null }]);

  const rotated = await admin.call('POST', '/keys/rotate', { token, body: { immediately: true } });
  expect(rotated.status).toBe(200);
  const result = rotated.body as { generated: string[]; promoted: { file: string; retired: { file: string }[] }[]; keys: Key[] };
  // Per algorithm: a new key that signs at once, and a next key published for the rotation after.
  const promoted = result.promoted.find((p) => p.retired.some((r) => r.file === before[0]!.file))!;
  expect(promoted).toEqual({ file: expect.stringMatching(/^es256-/), retired: [{ file: before[0]!.file, published_until: expect.any(String) }] });
  expect(result.generated).toContain(promoted.file);
  const after = es256(result.keys);
  const fresh = after.find((k) => k.file === promoted.file)!;
  expect(fresh).toEqual({ kid: expect.any(String), file: promoted.file, algs: ['ES256'], state: 'active', since: expect.any(String) });
  expect(after.map((k) => k.state).sort()).toEqual(['active', 'next', 'retired']);
  expect(after.find((k) => k.kid === before[0]!.kid)).toMatchObject({ state: 'retired', since: expect.any(String) });

  // This instance signs with the new key now, and the JWKS still publishes the old one.
  const signed = await admin.token('admin:keys');
  expect(decodeProtectedHeader(signed).kid).toBe(fresh.kid);
  const jwks = (await (await fetch(`${admin.tessera.url}/jwks`)).json()) as { keys: { kid: string }[] };
  expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([fresh.kid, before[0]!.kid]));
  expect((await admin.call('GET', '/keys', { token: signed })).status).toBe(200);
  expect((await admin.call('GET', '/keys', { token })).status).toBe(200);

  // A plain rotation step right after: the next key waits until it has been published long enough.
  const step = await admin.call('POST', '/keys/rotate', { token: signed });
  expect(step.body).toMatchObject({
    generated: [],
    promoted: [],
    dropped: [],
    waiting: expect.arrayContaining([{ file: after.find((k) => k.state === 'next')!.file, signs_from: expect.any(String) }]),
  });
  expect((await admin.call('POST', '/keys/rotate', { token: signed, body: { immediately: 'yes' } })).body).toEqual(
    problem(400, 'Bad Request', 'the body may only hold immediately (true or false)'),
  );
});

test('the list is paginated by kid: limit and cursor walk every key once, in order; a bad limit or cursor is a 400', async () => {
  const token = await admin.token('admin:keys');
  const all = (await admin.call('GET', '/keys', { token })).body as { items: Key[]; next_cursor?: string };
  expect(all.next_cursor).toBeUndefined();
  expect(all.items.length).toBeGreaterThanOrEqual(3);
  const kids = all.items.map((k) => k.kid);
  expect(kids).toEqual([...kids].sort());
  for (const limit of [1, 2]) {
    const walked: Key[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.call('GET', `/keys?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      const body = page.body as { items: Key[]; next_cursor?: string };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      walked.push(...body.items);
      cursor = body.next_cursor;
      expect(cursor === undefined).toBe(walked.length === all.items.length);
    } while (cursor);
    expect(walked).toEqual(all.items);
  }
  const first = (await admin.call('GET', '/keys?limit=1', { token })).body as { items: Key[]; next_cursor: string };
  expect(first).toEqual({ items: [all.items[0]], next_cursor: Buffer.from(all.items[0]!.kid).toString('base64url') });
  expect((await admin.call('GET', '/keys?limit=0', { token })).body).toEqual(problem(400, 'Bad Request', 'limit must be a whole number from 1 to 200'));
  expect((await admin.call('GET', '/keys?limit=201', { token })).body).toEqual(problem(400, 'Bad Request', 'limit must be a whole number from 1 to 200'));
  expect((await admin.call('GET', '/keys?cursor=not%20one', { token })).body).toEqual(problem(400, 'Bad Request', 'cursor is not one this API returned'));
});

test("every keys route: 401 without a token, 403 with another area's scope", async () => {
  for (const [method, path] of [
    ['GET', '/keys'],
    ['POST', '/keys/rotate'],
  ] as const) {
    expect(await admin.call(method, path)).toMatchObject({
      status: 401,
      body: problem(401, 'Unauthorized', 'a bearer access token for tessera-admin is required'),
    });
    expect(await admin.call(method, path, { token: usersOnly })).toMatchObject({
      status: 403,
      body: problem(403, 'Forbidden', 'the access token lacks the scope admin:keys'),
    });
  }
});

afterAll(() => {
  expect([...admin.seen.keys()].filter((k) => k.includes('/keys')).sort()).toEqual(['GET /keys', 'POST /keys/rotate']);
});
