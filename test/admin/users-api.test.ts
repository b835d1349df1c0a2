import { problem, startAdminFixture } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';

let admin: AdminFixture;
let token: string;
let clientsOnly: string;

beforeAll(async () => {
  admin = await startAdminFixture({ env: { PASSWORD_SCRYPT_N: '1024', NODE_ENV: 'test' } });
  token = await admin.token('admin:users');
  clientsOnly = await admin.token('admin:clients', 'clients-only');
});

afterAll(async () => {
  await admin.stop();
});

const ID = /^[\w-]{22}$/;
const NOW = expect.any(Number) as number;

test('create, read, update the profile, disable, enable, set a password, delete: exact bodies', async () => {
  const created = await admin.call('POST', '/users', {
    token,
    body: { username: 'Alice', password: 'correct horse battery', email: 'alice@example.com', name: 'Alice Liddell', groups: ['staff', 'admins'] },
  });
  const alice = created.body as { id: string };
  expect(created).toMatchObject({
    status: 201,
    body: {
      id: expect.stringMatching(ID),
      username: 'alice',
      email: 'alice@example.com',
      email_verified: false,
      name: 'Alice Liddell',
      groups: ['admins', 'staff'],
      disabled: false,
      created_at: NOW,
      updated_at: NOW,
    },
  });
  expect(Object.keys(created.body as object).sort()).toEqual([
    'created_at',
    'disabled',
    'email',
    'email_verified',
    'groups',
    'id',
    'name',
    'updated_at',
    'username',
  ]);
  expect(created.headers.get('location')).toBe(`/admin/v1/users/${alice.id}`);
  expect(JSON.stringify(created.body)).not.toMatch(/correct horse|scrypt/);

  const read = await admin.call('GET', `/users/${alice.id}`, { token });
  expect(read).toMatchObject({ status: 200, body: created.body });
  const tag = read.headers.get('etag')!;

  const changes = { email: 'alice@example.org', email_verified: true, name: null, given_name: 'Alice', groups: ['staff'] };
  expect((await admin.call('PATCH', `/users/${alice.id}`, { token, body: changes })).body).toEqual(
    problem(428, 'Precondition Required', 'an If-Match header with the ETag of the resource is required'),
  );
  const updated = await admin.call('PATCH', `/users/${alice.id}`, { token, body: changes, headers: { 'if-match': tag } });
  expect(updated).toMatchObject({
    status: 200,
    body: {
      id: alice.id,
      username: 'alice',
      email: 'alice@example.org',
      email_verified: true,
      given_name: 'Alice',
      groups: ['staff'],
      disabled: false,
      created_at: NOW,
      updated_at: NOW,
    },
  });
  expect((updated.body as { name?: string }).name).toBeUndefined();
  expect((await admin.call('PATCH', `/users/${alice.id}`, { token, body: changes, headers: { 'if-match': '"stale"' } })).status).toBe(412);

  expect(await admin.call('POST', `/users/${alice.id}/disable`, { token })).toMatchObject({ status: 200, body: { id: alice.id, disabled: true } });
  expect(await admin.call('POST', `/users/${alice.id}/enable`, { token })).toMatchObject({ status: 200, body: { id: alice.id, disabled: false } });
  expect(await admin.call('PUT', `/users/${alice.id}/password`, { token, body: { password: 'a new password' } })).toMatchObject({
    status: 204,
    body: undefined,
  });
  expect((await admin.call('PUT', `/users/${alice.id}/password`, { token, body: { password: 'short' } })).body).toEqual(
    problem(400, 'Bad Request', 'the user is not valid', ['password: must be at least 8 characters']),
  );
  expect(await admin.call('DELETE', `/users/${alice.id}`, { token })).toMatchObject({ status: 204, body: undefined });
  expect((await admin.call('GET', `/users/${alice.id}`, { token })).body).toEqual(problem(404, 'Not Found', `no account with id ${alice.id}`));
});

test('404, 409 and 400 where they apply; nothing is kept of a refused user', async () => {
  const nobody = 'AAAAAAAAAAAAAAAAAAAAAA';
  const notFound = problem(404, 'Not Found', `no account with id ${nobody}`);
  expect((await admin.call('PATCH', `/users/${nobody}`, { token, body: {}, headers: { 'if-match': '"x"' } })).body).toEqual(notFound);
  expect((await admin.call('POST', `/users/${nobody}/disable`, { token })).body).toEqual(notFound);
  expect((await admin.call('POST', `/users/${nobody}/enable`, { token })).body).toEqual(notFound);
  expect((await admin.call('PUT', `/users/${nobody}/password`, { token, body: { password: 'long enough password' } })).body).toEqual(notFound);
  expect((await admin.call('DELETE', `/users/${nobody}`, { token })).body).toEqual(notFound);
  await admin.call('POST', '/users', { token, body: { username: 'bob', password: 'correct horse battery' } });
  expect(await admin.call('POST', '/users', { token, body: { username: 'BOB', password: 'correct horse battery' } })).toMatchObject({
    status: 409,
    body: problem(409, 'Conflict', 'user bob already exists'),
  });
  expect((await admin.call('POST', '/users', { token, body: { username: 'carol', password: 'x', email: 'nope', colour: 'red' } })).body).toEqual(
    problem(400, 'Bad Request', 'the user is not valid', ['colour: is not a field that can be set here']),
  );
  expect((await admin.call('POST', '/users', { token, body: { username: 'carol', password: 'x', email: 'nope' } })).body).toEqual(
    problem(400, 'Bad Request', 'the user is not valid', ['email: must be an email address', 'password: must be at least 8 characters']),
  );
  expect((await admin.call('POST', '/users', { token, body: { username: 'carol', password: 'correct horse battery', groups: ['no spaces'] } })).body).toEqual(
    problem(400, 'Bad Request', 'the user is not valid', [
      'groups: no spaces must be 1 to 100 letters, digits or _ . : @ / -, starting with a letter or digit',
    ]),
  );
  expect((await admin.call('GET', '/users?q=carol', { token })).body).toEqual({ items: [] });
});

test('list: paginated by username, searched by a prefix of the username or email', async () => {
  for (const [username, email] of [
    ['dave', 'dave@corp.example'],
    ['erin', 'erin@home.example'],
    ['frank', 'frank@corp.example'],
  ]) {
    await admin.call('POST', '/users', { token, body: { username, password: 'correct horse battery', email } });
  }
  const names = (body: unknown) => (body as { items: { username: string }[] }).items.map((u) => u.username);
  const first = await admin.call('GET', '/users?limit=2', { token });
  expect(names(first.body)).toEqual(['bob', 'dave']);
  const second = await admin.call('GET', `/users?limit=2&cursor=${(first.body as { next_cursor: string }).next_cursor}`, { token });
  expect(names(second.body)).toEqual(['erin', 'frank']);
  expect((second.body as { next_cursor?: string }).next_cursor).toBeUndefined();
  expect(names((await admin.call('GET', '/users?q=CORP.example', { token })).body)).toEqual([]);
  expect(names((await admin.call('GET', '/users?q=DAVE%40corp', { token })).body)).toEqual(['dave']);
  expect(names((await admin.call('GET', '/users?q=eri', { token })).body)).toEqual(['erin']);
  const some = await admin.call('GET', '/users?q=f&limit=1', { token });
  expect(some.body).toEqual({ items: [expect.objectContaining({ username: 'frank', email: 'frank@corp.example' })] });
});

test("every users route: 401 without a token, 403 with another area's scope", async () => {
  const id = 'AAAAAAAAAAAAAAAAAAAAAA';
  const routes: [string, string][] = [
    ['GET', '/users'],
    ['POST', '/users'],
    ['GET', `/users/${id}`],
    ['PATCH', `/users/${id}`],
    ['DELETE', `/users/${id}`],
    ['POST', `/users/${id}/disable`],
    ['POST', `/users/${id}/enable`],
    ['PUT', `/users/${id}/password`],
  ];
  for (const [method, path] of routes) {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
    expect(await admin.call(method, path, { body })).toMatchObject({
      status: 401,
      body: problem(401, 'Unauthorized', 'a bearer access token for tessera-admin is required'),
    });
    expect(await admin.call(method, path, { token: clientsOnly, body })).toMatchObject({
      status: 403,
      body: problem(403, 'Forbidden', 'the access token lacks the scope admin:users'),
    });
  }
});

afterAll(() => {
  const operations = Object.entries(admin.document.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path.startsWith('/users') && !path.includes('/grants') && !path.includes('/sessions'))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => m !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  expect([...admin.seen.keys()].filter((k) => k.includes('/users') && !k.includes('/grants') && !k.includes('/sessions')).sort()).toEqual(operations.sort());
});
