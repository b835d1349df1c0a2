import * as client from 'openid-client';

import { authorize } from '../support/login-flow.ts';
import { problem } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';
import { PASSWORD, REDIRECT, REVOKED, startWebappUser } from './support/webapp-user.ts';
import type { WebappUser } from './support/webapp-user.ts';

let fixture: WebappUser;
let admin: AdminFixture;
let config: client.Configuration;
let token: string;
let usersOnly: string;
let aliceId: string;

beforeAll(async () => {
  fixture = await startWebappUser();
  ({ admin, config, token, usersOnly, aliceId } = fixture);
});

afterAll(async () => {
  await admin.stop();
});

async function signIn() {
  const flow = await authorize({
    issuer: admin.tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access api:read',
    username: 'alice',
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  return client.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce });
}

const refresh = (refreshToken: string) => fixture.refresh(refreshToken);

test("list a user's grants (client, scopes, when); revoking one stops its refresh token at once, the other keeps working", async () => {
  const first = await signIn();
  const second = await signIn();
  const listed = await admin.call('GET', `/users/${aliceId}/grants`, { token });
  expect(listed.status).toBe(200);
  const items = (listed.body as { items: { grant_id: string }[] }).items;
  expect(items).toHaveLength(2);
  expect(items[0]).toEqual({
    grant_id: expect.any(String),
    client_id: 'webapp',
    scope: 'openid offline_access api:read',
    resources: { 'urn:tessera:resource_server': 'api:read' },
    issued_at: expect.any(Number),
    expires_at: expect.any(Number),
  });

  const target = items[0]!.grant_id;
  expect(await admin.call('DELETE', `/users/${aliceId}/grants/${target}`, { token })).toMatchObject({ status: 204, body: undefined });
  const outcomes = await Promise.all([refresh(first.refresh_token!), refresh(second.refresh_token!)]);
  expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1);
  expect(outcomes.filter((o) => o.status === 400)).toEqual([REVOKED]);
  expect((await admin.call('GET', `/users/${aliceId}/grants`, { token })).body).toEqual({ items: [items[1]] });
  expect((await admin.call('DELETE', `/users/${aliceId}/grants/${target}`, { token })).body).toEqual(
    problem(404, 'Not Found', `user ${aliceId} has no grant ${target}`),
  );
});

test('revoke all: every refresh token of the user stops at once', async () => {
  const tokens = await Promise.all([signIn(), signIn()]);
  const all = await admin.call('DELETE', `/users/${aliceId}/grants`, { token });
  expect(all).toMatchObject({ status: 200, body: { revoked: expect.any(Number) } });
  expect((all.body as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
  for (const t of tokens) expect(await refresh(t.refresh_token!)).toEqual(REVOKED);
  expect((await admin.call('GET', `/users/${aliceId}/grants`, { token })).body).toEqual({ items: [] });
});

test('404 for an unknown user; 401 without a token; 403 without admin:sessions', async () => {
  const nobody = 'AAAAAAAAAAAAAAAAAAAAAA';
  const notFound = problem(404, 'Not Found', `no account with id ${nobody}`);
  for (const [method, path] of [
    ['GET', `/users/${nobody}/grants`],
    ['DELETE', `/users/${nobody}/grants`],
    ['DELETE', `/users/${nobody}/grants/x`],
  ] as const) {
    expect((await admin.call(method, path, { token })).body).toEqual(notFound);
    expect(await admin.call(method, path)).toMatchObject({
      status: 401,
      body: problem(401, 'Unauthorized', 'a bearer access token for tessera-admin is required'),
    });
    expect(await admin.call(method, path, { token: usersOnly })).toMatchObject({
      status: 403,
      body: problem(403, 'Forbidden', 'the access token lacks the scope admin:sessions'),
    });
  }
});

afterAll(() => {
  expect([...admin.seen.keys()].filter((k) => k.includes('/grants')).sort()).toEqual([
    'DELETE /users/{id}/grants',
    'DELETE /users/{id}/grants/{grant_id}',
    'GET /users/{id}/grants',
  ]);
});
