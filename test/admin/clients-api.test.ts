import { Redis } from 'ioredis';

import { problem, startAdminFixture } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';

let admin: AdminFixture;
let token: string;
let usersOnly: string;

beforeAll(async () => {
  admin = await startAdminFixture({
    env: { CLIENT_SECRET_ROTATION_GRACE: '3' },
    configFile: {
      resourceServers: [{ indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'] }],
      clients: [
        {
          client_id: 'static-svc',
          client_secret: 'static-secret-0123456789abcdefghijkl',
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
        },
      ],
    },
  });
  token = await admin.token('admin:clients');
  usersOnly = await admin.token('admin:users', 'users-only');
});

afterAll(async () => {
  await admin.stop();
});

async function clientCredentials(id: string, secret: string) {
  const response = await fetch(`${admin.tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  });
  return response.status;
}

const SERVICE = { client_id: 'billing', client_name: 'Billing', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' };
const SHOWN = { ...SERVICE, token_endpoint_auth_method: 'client_secret_basic' };
const UNAUTHORIZED = problem(401, 'Unauthorized', 'a bearer access token for tessera-admin is required');
const FORBIDDEN = problem(403, 'Forbidden', 'the access token lacks the scope admin:clients');

test('the OpenAPI document is served without a token and is valid OpenAPI 3.1', async () => {
  const answer = await admin.call('GET', '/openapi.json');
  expect(answer.status).toBe(200);
  expect((answer.body as { openapi: string }).openapi).toBe('3.1.0');
});

test('create, read, list, update, rotate the secret, delete: exact bodies', async () => {
  const created = await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_secret: 'ignored-a-secret-is-always-generated' } });
  expect(created.status).toBe(201);
  const { client_secret: secret } = created.body as { client_secret: string };
  expect(created.body).toEqual({ client: SHOWN, client_secret: expect.stringMatching(/^[\w-]{43}$/) });
  expect(secret).not.toBe('ignored-a-secret-is-always-generated');
  expect(created.headers.get('location')).toBe('/admin/v1/clients/billing');
  expect(await clientCredentials('billing', secret)).toBe(200);

  const read = await admin.call('GET', '/clients/billing', { token });
  expect(read).toMatchObject({ status: 200, body: SHOWN });
  const tag = read.headers.get('etag')!;
  expect(tag).toBe(created.headers.get('etag'));
  expect(tag).toMatch(/^"[0-9a-f]{40}"$/);

  const listed = await admin.call('GET', '/clients', { token });
  expect(listed).toMatchObject({
    status: 200,
    body: {
      items: [
        SHOWN,
        expect.objectContaining({ client_id: 'helpdesk' }),
        expect.objectContaining({ client_id: 'ops' }),
        expect.objectContaining({ client_id: 'platform' }),
      ],
    },
  });

  const change = { ...SERVICE, client_id: undefined, scope: 'api:read api:write', client_name: 'Billing v2' };
  const updated = await admin.call('PUT', '/clients/billing', { token, body: change, headers: { 'if-match': tag } });
  expect(updated).toMatchObject({ status: 200, body: { ...SHOWN, scope: 'api:read api:write', client_name: 'Billing v2' } });
  expect(updated.headers.get('etag')).not.toBe(tag);
  expect(await clientCredentials('billing', secret)).toBe(200);

  const stale = await admin.call('PUT', '/clients/billing', { token, body: change, headers: { 'if-match': tag } });
  expect(stale).toMatchObject({
    status: 412,
    type: 'application/problem+json',
    body: problem(412, 'Precondition Failed', 'the resource has changed since it was read (If-Match does not match its ETag)'),
  });
  expect((await admin.call('PUT', '/clients/billing', { token, body: change })).body).toEqual(
    problem(428, 'Precondition Required', 'an If-Match header with the ETag of the resource is required'),
  );

  const rotated = await admin.call('POST', '/clients/billing/secret', { token });
  expect(rotated).toMatchObject({
    status: 200,
    body: { client_secret: expect.stringMatching(/^[\w-]{43}$/), previous_secret_valid_until: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/) },
  });
  const fresh = (rotated.body as { client_secret: string }).client_secret;
  expect(await clientCredentials('billing', secret)).toBe(200);
  expect(await clientCredentials('billing', fresh)).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 3200));
  expect(await clientCredentials('billing', secret)).toBe(401);
  expect(await clientCredentials('billing', fresh)).toBe(200);

  expect(await admin.call('DELETE', '/clients/billing', { token })).toMatchObject({ status: 204, body: undefined });
  expect(await clientCredentials('billing', fresh)).toBe(401);
  expect(await admin.call('GET', '/clients/billing', { token })).toMatchObject({ status: 404, body: problem(404, 'Not Found', 'no client billing in Redis') });
}, 20_000);

test('404 and 409 where they apply; invalid metadata is a 400 naming every problem', async () => {
  const notFound = problem(404, 'Not Found', 'no client nobody in Redis');
  expect((await admin.call('PUT', '/clients/nobody', { token, body: {}, headers: { 'if-match': '"x"' } })).body).toEqual(notFound);
  expect((await admin.call('DELETE', '/clients/nobody', { token })).body).toEqual(notFound);
  expect((await admin.call('POST', '/clients/nobody/secret', { token })).body).toEqual(notFound);
  expect(await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: 'static-svc' } })).toMatchObject({
    status: 409,
    body: problem(409, 'Conflict', 'client_id: static-svc is a static client of CONFIG_FILE'),
  });
  expect(await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: 'ops' } })).toMatchObject({
    status: 409,
    body: problem(409, 'Conflict', 'client_id: ops already exists'),
  });
  expect((await admin.call('POST', '/clients', { token, body: { client_id: 'web', grant_types: ['password'], redirect_uris: ['/cb'] } })).body).toEqual(
    problem(400, 'Bad Request', 'the client metadata is not valid', [
      'grant_types.0: must be one of authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange',
      'redirect_uris.0: must be an absolute URL without a fragment',
    ]),
  );
  const spa = await admin.call('POST', '/clients', {
    token,
    body: { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] },
  });
  expect(spa.body).toEqual({ client: { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] } });
  expect((await admin.call('POST', '/clients/spa/secret', { token })).body).toEqual(
    problem(400, 'Bad Request', 'the client metadata is not valid', ['token_endpoint_auth_method: spa is a public client and has no secret']),
  );
  await admin.call('DELETE', '/clients/spa', { token });
});

test('clients added at run time get the audience and scope checks of CONFIG_FILE clients', async () => {
  const answer = await admin.call('POST', '/clients', {
    token,
    body: {
      ...SERVICE,
      client_id: 'exchanger',
      grant_types: ['urn:ietf:params:oauth:grant-type:token-exchange'],
      token_exchange: {
        targets: [
          { audience: 'payments', scope: ['payments', 'refunds'] },
          { audience: 'nowhere', scope: ['x'] },
        ],
      },
    },
  });
  expect(answer.body).toEqual(
    problem(400, 'Bad Request', 'the client metadata is not valid', [
      'token_exchange.targets[0].scope: refunds not among the scopes of payments (payments)',
      'token_exchange.targets[1].audience: nowhere is not the audience of a resource server (known: resource_server, payments)',
    ]),
  );
});

test('lists are paginated with a cursor', async () => {
  for (const id of ['p1', 'p2', 'p3']) await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: id } });
  const first = await admin.call('GET', '/clients?limit=2', { token });
  const ids = (body: unknown) => (body as { items: { client_id: string }[] }).items.map((c) => c.client_id);
  expect(ids(first.body)).toEqual(['helpdesk', 'ops']);
  const next = (first.body as { next_cursor: string }).next_cursor;
  const second = await admin.call('GET', `/clients?limit=2&cursor=${next}`, { token });
  expect(ids(second.body)).toEqual(['p1', 'p2']);
  const third = await admin.call('GET', `/clients?limit=2&cursor=${(second.body as { next_cursor: string }).next_cursor}`, { token });
  expect(third.body).toEqual({ items: [expect.objectContaining({ client_id: 'p3' }), expect.objectContaining({ client_id: 'platform' })] });
  expect((await admin.call('GET', '/clients?limit=0', { token })).body).toEqual(problem(400, 'Bad Request', 'limit must be a whole number from 1 to 200'));
  for (const id of ['p1', 'p2', 'p3']) await admin.call('DELETE', `/clients/${id}`, { token });
});

test("every clients route: 401 without a token, 403 with another area's scope", async () => {
  const routes: [string, string][] = [
    ['GET', '/clients'],
    ['POST', '/clients'],
    ['GET', '/clients/ops'],
    ['PUT', '/clients/ops'],
    ['DELETE', '/clients/ops'],
    ['POST', '/clients/ops/secret'],
  ];
  for (const [method, path] of routes) {
    const body = method === 'POST' || method === 'PUT' ? {} : undefined;
    const anonymous = await admin.call(method, path, { body });
    expect(anonymous).toMatchObject({ status: 401, body: UNAUTHORIZED });
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tessera-admin"');
    const wrong = await admin.call(method, path, { token: usersOnly, body });
    expect(wrong).toMatchObject({ status: 403, body: FORBIDDEN });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="tessera-admin", error="insufficient_scope", scope="admin:clients"');
  }
  expect((await admin.call('GET', '/clients', { token: `${token.slice(0, -2)}xx` })).body).toEqual(
    problem(401, 'Unauthorized', 'the access token is invalid or expired'),
  );
});

test('a token for another audience is refused; a client without admin scopes gets no admin token', async () => {
  const response = await fetch(`${admin.tessera.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('static-svc:static-secret-0123456789abcdefghijkl').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&resource=urn%3Atessera%3Aadmin&scope=admin%3Aclients',
  });
  expect({ status: response.status, body: (await response.json()) as unknown }).toEqual({
    status: 400,
    body: { error: 'invalid_target', error_description: 'resource indicator is missing, or unknown' },
  });
  const plain = await fetch(`${admin.tessera.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('static-svc:static-secret-0123456789abcdefghijkl').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  });
  const other = ((await plain.json()) as { access_token: string }).access_token;
  expect((await admin.call('GET', '/clients', { token: other })).body).toEqual(problem(401, 'Unauthorized', 'the access token is not for tessera-admin'));
});

test('every change is an audit event naming actor, action, target and outcome, never a secret', async () => {
  const created = await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: 'audited' } });
  await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: 'audited' } });
  await admin.call('DELETE', '/clients/audited', { token });
  const lines = await admin.tessera.logsOnce((l) => l.event === 'admin.audit' && l.action === 'client.delete' && l.target === 'client:audited');
  const events = lines
    .filter((l) => l.event === 'admin.audit' && (l.target === 'client:audited' || l.target === 'client'))
    .map(({ actor, action, target, outcome, status }) => ({ actor, action, target, outcome, status }))
    .slice(-3);
  expect(events).toEqual([
    { actor: 'client:ops', action: 'client.create', target: 'client', outcome: 'success', status: 201 },
    { actor: 'client:ops', action: 'client.create', target: 'client', outcome: 'failure', status: 409 },
    { actor: 'client:ops', action: 'client.delete', target: 'client:audited', outcome: 'success', status: 204 },
  ]);
  expect(JSON.stringify(admin.tessera.logs())).not.toContain((created.body as { client_secret: string }).client_secret);
});

test('the store holds no plaintext secret of a client made through the API', async () => {
  const created = await admin.call('POST', '/clients', { token, body: { ...SERVICE, client_id: 'hashed-api' } });
  const redis = new Redis(admin.tessera.redisEnv!.REDIS_URL);
  const keys = await redis.keys(`${admin.tessera.redisEnv!.REDIS_KEY_PREFIX}*`);
  const values = await Promise.all(keys.map(async (k) => ((await redis.type(k)) === 'string' ? redis.get(k) : '')));
  redis.disconnect();
  expect(values.join('\n')).toContain('"client_id":"hashed-api"');
  expect(values.join('\n')).not.toContain((created.body as { client_secret: string }).client_secret);
  await admin.call('DELETE', '/clients/hashed-api', { token });
});

afterAll(() => {
  // Every operation of the clients area was called and validated against the document.
  const operations = Object.entries(admin.document.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path === '/openapi.json' || path.startsWith('/clients'))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => m !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  expect([...admin.seen.keys()].sort()).toEqual(operations.sort());
});
