import { problem, startAdminFixture } from './support/admin-fixture.ts';
import type { AdminFixture, Answer } from './support/admin-fixture.ts';

let admin: AdminFixture;
let token: string;

beforeAll(async () => {
  admin = await startAdminFixture({ env: { PASSWORD_SCRYPT_N: '1024' } });
  token = await admin.token('admin:users admin:clients');
});

afterAll(async () => {
  await admin.stop();
});

const STALE = problem(412, 'Precondition Failed', 'the resource has changed since it was read (If-Match does not match its ETag)');
const BURST = 20;

/** The statuses of a burst, counted. */
function tally(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

test("20 parallel PATCHes of a user with one ETag: exactly one 200, nineteen 412 naming the winner's ETag", async () => {
  const created = await admin.call('POST', '/users', { token, body: { username: 'racer', password: 'correct horse battery' } });
  const id = (created.body as { id: string }).id;
  const tag = created.headers.get('etag')!;
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_v, i) => admin.call('PATCH', `/users/${id}`, { token, body: { name: `Racer ${i}` }, headers: { 'if-match': tag } })),
  );
  expect(tally(answers)).toEqual({ 200: 1, 412: BURST - 1 });
  const winner = answers.find((a) => a.status === 200)!;
  const now = await admin.call('GET', `/users/${id}`, { token });
  expect(now.body).toEqual(winner.body);
  expect(now.headers.get('etag')).toBe(winner.headers.get('etag'));
  for (const lost of answers.filter((a) => a.status === 412)) {
    expect(lost.body).toEqual(STALE);
    expect(lost.headers.get('etag')).toBe(winner.headers.get('etag'));
  }
});

test('20 parallel PUTs of a client with one ETag: exactly one 200, nineteen 412', async () => {
  const created = await admin.call('POST', '/clients', {
    token,
    body: { client_id: 'race-client', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
  });
  expect(created.status).toBe(201);
  const tag = created.headers.get('etag')!;
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_v, i) =>
      admin.call('PUT', '/clients/race-client', {
        token,
        headers: { 'if-match': tag },
        body: { client_name: `Race ${i}`, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      }),
    ),
  );
  expect(tally(answers)).toEqual({ 200: 1, 412: BURST - 1 });
  const winner = answers.find((a) => a.status === 200)!;
  const now = await admin.call('GET', '/clients/race-client', { token });
  expect(now.body).toEqual(winner.body);
  for (const lost of answers.filter((a) => a.status === 412)) expect(lost.body).toEqual(STALE);
});

test('a DELETE with If-Match: 412 after a change, the current ETag deletes; with an ETag, parallel DELETEs delete once', async () => {
  const created = await admin.call('POST', '/users', { token, body: { username: 'leaver', password: 'correct horse battery' } });
  const id = (created.body as { id: string }).id;
  const old = created.headers.get('etag')!;
  const changed = await admin.call('PATCH', `/users/${id}`, { token, body: { name: 'Leaver' }, headers: { 'if-match': old } });
  expect(await admin.call('DELETE', `/users/${id}`, { token, headers: { 'if-match': old } })).toMatchObject({ status: 412, body: STALE });
  expect((await admin.call('GET', `/users/${id}`, { token })).body).toMatchObject({ id, disabled: false });
  const answers = await Promise.all(
    Array.from({ length: BURST }, () => admin.call('DELETE', `/users/${id}`, { token, headers: { 'if-match': changed.headers.get('etag')! } })),
  );
  expect(answers.filter((a) => a.status === 204)).toHaveLength(1);
  expect(answers.every((a) => [204, 404, 412].includes(a.status))).toBe(true);

  const client = await admin.call('POST', '/clients', {
    token,
    body: { client_id: 'leaving', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
  });
  const clientTag = client.headers.get('etag')!;
  await admin.call('PUT', '/clients/leaving', {
    token,
    headers: { 'if-match': clientTag },
    body: { client_name: 'Leaving', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
  });
  expect(await admin.call('DELETE', '/clients/leaving', { token, headers: { 'if-match': clientTag } })).toMatchObject({ status: 412, body: STALE });
  expect((await admin.call('GET', '/clients/leaving', { token })).status).toBe(200);
  const burst = await Promise.all(Array.from({ length: BURST }, () => admin.call('DELETE', '/clients/leaving', { token, headers: { 'if-match': '*' } })));
  expect(burst.filter((a) => a.status === 204)).toHaveLength(1);
  expect(burst.filter((a) => a.status !== 204).map((a) => a.body)).toEqual(Array(BURST - 1).fill(problem(404, 'Not Found', 'no client leaving in Redis')));
});
