import * as client from 'openid-client';

import { startAdminFixture } from '../admin/support/admin-fixture.ts';
import type { AdminFixture } from '../admin/support/admin-fixture.ts';
import { addUser, authorize } from '../support/login-flow.ts';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const SERVICE_SECRET = 'orders-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const ORDERS = 'https://orders.example.com';
const PAYMENTS = 'https://payments.example.com';
let admin: AdminFixture;
let config: client.Configuration;

beforeAll(async () => {
  admin = await startAdminFixture({
    env: { PASSWORD_SCRYPT_N: '1024' },
    configFile: {
      clients: [
        { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] },
        {
          client_id: 'orders-service',
          client_secret: SERVICE_SECRET,
          redirect_uris: [],
          response_types: [],
          grant_types: [TOKEN_EXCHANGE],
          token_exchange: {
            targets: [
              { audience: 'payments', scope: 'payments' },
              { audience: 'reports', scope: 'reports' },
            ],
          },
        },
      ],
      resourceServers: [
        { indicator: ORDERS, audience: 'orders', scopes: ['orders', 'payments', 'reports'], groupsClaim: 'groups', groups: ['staff', 'admins'] },
        { indicator: PAYMENTS, audience: 'payments', scopes: ['payments'] },
        { indicator: 'https://reports.example.com', audience: 'reports', scopes: ['reports'], groupsClaim: 'roles', groups: ['staff'] },
      ],
    },
  });
  addUser(admin.tessera.redisEnv!, 'alice', PASSWORD);
  const token = await admin.token('admin:users');
  const alice = ((await admin.call('GET', '/users?q=alice', { token })).body as { items: { id: string }[] }).items[0]!;
  const tag = (await admin.call('GET', `/users/${alice.id}`, { token })).headers.get('etag')!;
  await admin.call('PATCH', `/users/${alice.id}`, { token, body: { groups: ['staff', 'admins', 'secret-club'] }, headers: { 'if-match': tag } });
  config = await client.discovery(new URL(admin.tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
});

afterAll(async () => {
  await admin.stop();
});

const payload = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

async function signIn(scope: string, resource: string) {
  const flow = await authorize({
    issuer: admin.tessera.url,
    config,
    redirectUri: REDIRECT,
    scope,
    username: 'alice',
    password: PASSWORD,
    extra: { prompt: 'consent', resource },
  });
  return client.authorizationCodeGrant(
    config,
    flow.callback,
    { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce },
    { resource },
  );
}

async function exchange(subject: string, audience: string, scope: string) {
  const response = await fetch(`${admin.tessera.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`orders-service:${SERVICE_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience,
      scope,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`exchange failed: ${JSON.stringify(body)}`);
  return payload(body.access_token);
}

test('a resource server configured for groups gets the groups it knows in its access tokens; the ID token carries them for the groups scope', async () => {
  const tokens = await signIn('openid groups orders', ORDERS);
  const access = payload(tokens.access_token);
  expect(access.aud).toBe('orders');
  expect(access.groups).toEqual(['admins', 'staff']);
  expect(payload(tokens.id_token!).groups).toEqual(['admins', 'secret-club', 'staff']);
});

test('a resource server not configured for groups gets none; without the groups scope the ID token has none', async () => {
  const tokens = await signIn('openid payments', PAYMENTS);
  const access = payload(tokens.access_token);
  expect(access.aud).toBe('payments');
  expect(access).not.toHaveProperty('groups');
  expect(payload(tokens.id_token!)).not.toHaveProperty('groups');
});

test('an exchanged token carries what its target audience may see, no more', async () => {
  const subject = (await signIn('openid orders payments reports', ORDERS)).access_token;
  const payments = await exchange(subject, 'payments', 'payments');
  expect(payments).not.toHaveProperty('groups');
  expect(payments).not.toHaveProperty('roles');
  const reports = await exchange(subject, 'reports', 'reports');
  expect(reports.roles).toEqual(['staff']);
  expect(reports).not.toHaveProperty('groups');
});

/** Userinfo's answer to a bearer token, as a relying party gets it. */
async function userinfo(token: string) {
  const response = await fetch(`${admin.tessera.url}/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as unknown };
}

test("userinfo answers the user's groups for the groups scope, as the ID token carries them, and none without it", async () => {
  const tokens = await signIn('openid groups orders', ORDERS);
  const { sub } = payload(tokens.id_token!);
  expect(await userinfo(tokens.access_token)).toEqual({ status: 200, body: { sub, groups: ['admins', 'secret-club', 'staff'] } });
  const without = await signIn('openid orders', ORDERS);
  expect(payload(without.access_token).groups).toEqual(['admins', 'staff']);
  expect(await userinfo(without.access_token)).toEqual({ status: 200, body: { sub } });
});
