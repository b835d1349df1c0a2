import * as client from 'openid-client';

import { authorize, CookieJar } from '../support/login-flow.ts';
import { problem } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';
import { PASSWORD, REDIRECT, REVOKED, startWebappUser } from './support/webapp-user.ts';
import type { WebappUser } from './support/webapp-user.ts';

const SCOPE = 'openid offline_access api:read';
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

/** Signs alice in with a browser's cookie jar of its own; resolves the jar (holding the session) and the tokens. */
async function signIn(jar = new CookieJar()) {
  const flow = await authorize({
    issuer: admin.tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: SCOPE,
    username: 'alice',
    password: PASSWORD,
    jar,
    extra: { prompt: 'consent' },
  });
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  return { jar, tokens };
}

/** An authorization request with prompt=none from the browser of `jar`: a code while its session lives, login_required after. */
async function silently(jar: CookieJar): Promise<URLSearchParams> {
  const flow = await authorize({
    issuer: admin.tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: SCOPE,
    username: 'alice',
    password: 'not used',
    jar,
    extra: { prompt: 'none' },
  });
  return flow.callback.searchParams;
}

const refresh = (refreshToken: string) => fixture.refresh(refreshToken);

type Listed = { items: { session_id: string; signed_in_at: number; expires_at: number; clients: { client_id: string; grant_id: string | null }[] }[] };

test("list a user's sessions (when, clients and grants, expiry); ending one signs its browser out and revokes its grant, the other stays", async () => {
  const before = Math.floor(Date.now() / 1000);
  const first = await signIn();
  const second = await signIn();
  const listed = await admin.call('GET', `/users/${aliceId}/sessions`, { token });
  expect(listed.status).toBe(200);
  const { items } = listed.body as Listed;
  expect(items).toHaveLength(2);
  const grants = ((await admin.call('GET', `/users/${aliceId}/grants`, { token })).body as { items: { grant_id: string }[] }).items.map((g) => g.grant_id);
  for (const session of items) {
    expect(session).toEqual({
      session_id: expect.stringMatching(/^[\w-]{20,}$/),
      signed_in_at: expect.any(Number),
      expires_at: expect.any(Number),
      clients: [{ client_id: 'webapp', grant_id: expect.any(String) }],
    });
    expect(session.signed_in_at).toBeGreaterThanOrEqual(before - 1);
    expect(session.expires_at).toBeGreaterThan(session.signed_in_at);
    expect(grants).toContain(session.clients[0]!.grant_id);
  }
  // The session id is not the cookie's value: the API never shows what would let someone take the session over.
  const cookies = [...first.jar.cookies.values(), ...second.jar.cookies.values()];
  for (const session of items) expect(cookies.some((c) => c.includes(session.session_id))).toBe(false);

  for (const browser of [first, second]) expect((await silently(browser.jar)).get('code')).toEqual(expect.any(String));
  const target = items[0]!;
  expect(await admin.call('DELETE', `/users/${aliceId}/sessions/${target.session_id}`, { token })).toMatchObject({ status: 204, body: undefined });
  // Exactly one browser is signed out: the one of the ended session, whose refresh token is revoked; the other keeps both.
  const answers = await Promise.all([first, second].map(async (browser) => ({ browser, answer: Object.fromEntries(await silently(browser.jar)) })));
  const out = answers.filter((a) => a.answer.error === 'login_required');
  expect(out).toHaveLength(1);
  expect(out[0]!.answer).toEqual({
    error: 'login_required',
    error_description: 'End-User authentication is required',
    state: expect.any(String),
    iss: admin.tessera.url,
  });
  const kept = answers.find((a) => a !== out[0])!;
  expect(kept.answer.code).toEqual(expect.any(String));
  expect(await refresh(out[0]!.browser.tokens.refresh_token!)).toEqual(REVOKED);
  expect((await refresh(kept.browser.tokens.refresh_token!)).status).toBe(200);
  const after = (await admin.call('GET', `/users/${aliceId}/sessions`, { token })).body as Listed;
  expect(after.items.map((s) => s.session_id)).toEqual(items.filter((s) => s !== target).map((s) => s.session_id));
  expect((await admin.call('DELETE', `/users/${aliceId}/sessions/${target.session_id}`, { token })).body).toEqual(
    problem(404, 'Not Found', `user ${aliceId} has no session ${target.session_id}`),
  );
});

test('end all: every browser of the user must sign in again, every grant of the sessions is revoked', async () => {
  const browsers = [await signIn(), await signIn()];
  const live = ((await admin.call('GET', `/users/${aliceId}/sessions`, { token })).body as Listed).items.length;
  expect(live).toBeGreaterThanOrEqual(2);
  expect(await admin.call('DELETE', `/users/${aliceId}/sessions`, { token })).toMatchObject({ status: 200, body: { ended: live } });
  for (const { jar, tokens } of browsers) {
    expect(Object.fromEntries(await silently(jar))).toMatchObject({ error: 'login_required' });
    expect(await refresh(tokens.refresh_token!)).toEqual(REVOKED);
  }
  expect((await admin.call('GET', `/users/${aliceId}/sessions`, { token })).body).toEqual({ items: [] });
  expect((await admin.call('DELETE', `/users/${aliceId}/sessions`, { token })).body).toEqual({ ended: 0 });
});

test('sessions are listed in pages by session_id', async () => {
  await signIn();
  await signIn();
  const all = ((await admin.call('GET', `/users/${aliceId}/sessions`, { token })).body as Listed).items.map((s) => s.session_id);
  expect(all).toEqual([...all].sort());
  const first = await admin.call('GET', `/users/${aliceId}/sessions?limit=1`, { token });
  const next = (first.body as { next_cursor: string }).next_cursor;
  expect((first.body as Listed).items.map((s) => s.session_id)).toEqual([all[0]]);
  expect(((await admin.call('GET', `/users/${aliceId}/sessions?limit=1&cursor=${next}`, { token })).body as Listed).items.map((s) => s.session_id)).toEqual([
    all[1],
  ]);
  await admin.call('DELETE', `/users/${aliceId}/sessions`, { token });
});

test('404 for an unknown user; 401 without a token; 403 without admin:sessions', async () => {
  const nobody = 'AAAAAAAAAAAAAAAAAAAAAA';
  const notFound = problem(404, 'Not Found', `no account with id ${nobody}`);
  for (const [method, path] of [
    ['GET', `/users/${nobody}/sessions`],
    ['DELETE', `/users/${nobody}/sessions`],
    ['DELETE', `/users/${nobody}/sessions/x`],
  ] as const) {
    expect(await admin.call(method, path, { token })).toMatchObject({ status: 404, body: notFound });
    expect(await admin.call(method, path)).toMatchObject({
      status: 401,
      body: problem(401, 'Unauthorized', 'a bearer access token for tessera-admin is required'),
    });
    expect(await admin.call(method, path, { token: usersOnly })).toMatchObject({
      status: 403,
      body: problem(403, 'Forbidden', 'the access token lacks the scope admin:sessions'),
    });
  }
  expect((await admin.call('DELETE', `/users/${aliceId}/sessions/no-such-session`, { token })).body).toEqual(
    problem(404, 'Not Found', `user ${aliceId} has no session no-such-session`),
  );
});

afterAll(() => {
  expect([...admin.seen.keys()].filter((k) => k.includes('/sessions')).sort()).toEqual([
    'DELETE /users/{id}/sessions',
    'DELETE /users/{id}/sessions/{session_id}',
    'GET /users/{id}/sessions',
  ]);
});
