import * as client from 'openid-client';

import { addUser, authorize, browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { auditFile, auditLine, secretsIn } from './audit-stream.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BYE = 'http://127.0.0.1:9/bye';
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';
const audit = auditFile();
/** Every token, code and password the tests see: none may reach the audit stream. */
const secrets: (string | undefined)[] = [PASSWORD, WRONG, SECRET];
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    env: { AUDIT_LOG: audit.path, LOGIN_THROTTLE_USER_FREE_FAILURES: '0' },
    configFile: {
      clients: [
        {
          client_id: 'webapp',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          post_logout_redirect_uris: [BYE],
        },
      ],
    },
  });
  for (const user of ['alice', 'bob', 'carol', 'dave']) addUser(tessera.redisEnv!, user, PASSWORD);
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  // Nothing of the audit went to stdout beside the access log, and nothing secret went anywhere in it.
  expect(tessera.logs().filter((line) => line.audit)).toEqual([]);
  expect(secretsIn(audit.text(), secrets)).toEqual([]);
  await tessera.stop();
});

async function signIn(username: string, scope = 'openid offline_access api:read') {
  const flow = await authorize({ issuer: tessera.url, config, redirectUri: REDIRECT, scope, username, password: PASSWORD, extra: { prompt: 'consent' } });
  secrets.push(flow.callback.searchParams.get('code') ?? undefined, flow.codeVerifier);
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  secrets.push(tokens.access_token, tokens.refresh_token, tokens.id_token);
  return { flow, tokens, sub: tokens.claims()!.sub };
}

/** Opens the login page of a new authorization request and sends `password` for `username`; the HTTP status. */
async function tryPassword(username: string, password: string): Promise<number> {
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  const html = await page.text();
  const uid = /action="\/interaction\/([\w-]+)\//.exec(html)![1]!;
  const answer = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username, password });
  await answer.arrayBuffer();
  return answer.status;
}

const userDigest = expect.stringMatching(/^[\w-]{16}$/);

test('login.success: the user who signed in, the client, the address; consent.given: the grant and the scopes consented to', async () => {
  const { sub, tokens } = await signIn('alice');
  const events = await audit.once((e) => e.event === 'consent.given' && e.actor === `user:${sub}`);
  expect(events.find((e) => e.event === 'login.success' && e.actor === `user:${sub}`)).toEqual(
    auditLine('info', {
      event: 'login.success',
      actor: `user:${sub}`,
      target: 'client:webapp',
      outcome: 'success',
      user: userDigest,
      ip: '127.0.0.1',
    }),
  );
  expect(events.find((e) => e.event === 'consent.given' && e.actor === `user:${sub}`)).toEqual(
    auditLine('info', {
      event: 'consent.given',
      actor: `user:${sub}`,
      target: 'client:webapp',
      outcome: 'success',
      grantId: expect.stringMatching(/^[\w-]+$/),
      scope: 'openid offline_access api:read',
    }),
  );
  expect(audit.text()).not.toContain('alice');
  expect(tokens.access_token).toEqual(expect.any(String));
});

test('login.failed: a wrong password, with the failures counted, never the username or the password', async () => {
  expect(await tryPassword('bob', WRONG)).toBe(401);
  const events = await audit.once((e) => e.event === 'login.failed');
  expect(events.filter((e) => e.event === 'login.failed')).toEqual([
    auditLine('warn', {
      event: 'login.failed',
      actor: 'anonymous',
      target: 'client:webapp',
      outcome: 'failure',
      user: userDigest,
      ip: '127.0.0.1',
      failures: { username: 1, ip: 1 },
    }),
  ]);
  expect(audit.text()).not.toContain('bob');
});

test('login.throttled: an attempt refused by the throttle, with its wait and what locked it', async () => {
  expect(await tryPassword('carol', WRONG)).toBe(401);
  expect(await tryPassword('carol', PASSWORD)).toBe(429);
  const events = await audit.once((e) => e.event === 'login.throttled');
  expect(events.filter((e) => e.event === 'login.throttled')).toEqual([
    auditLine('warn', {
      event: 'login.throttled',
      actor: 'anonymous',
      target: 'client:webapp',
      outcome: 'refused',
      user: userDigest,
      ip: '127.0.0.1',
      retryAfter: expect.any(Number),
      lockedBy: ['username'],
    }),
  ]);
});

test('consent.denied: the user who refused and the client refused', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid',
    username: 'dave',
    password: PASSWORD,
    decision: 'deny',
    extra: { prompt: 'consent' },
  });
  expect(flow.callback.searchParams.get('error')).toBe('access_denied');
  const events = await audit.once((e) => e.event === 'consent.denied');
  // The user is the one who signed in just before.
  const actor = events.filter((e) => e.event === 'login.success').at(-1)!.actor;
  expect(actor).toMatch(/^user:/);
  expect(events.filter((e) => e.event === 'consent.denied')).toEqual([
    auditLine('info', { event: 'consent.denied', actor, target: 'client:webapp', outcome: 'denied' }),
  ]);
});

test('logout: the user who signed out, of which client and session; the grants it ended are grant.revoked with reason logout', async () => {
  const { flow, tokens, sub } = await signIn('alice', 'openid api:read');
  const page = await browse(flow.jar, client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE }).href);
  const html = await page.text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
  const done = await browse(flow.jar, new URL(/action="([^"]+)"/.exec(html)![1]!, tessera.url).href, { xsrf, logout: 'yes' });
  expect(done.status).toBe(303);
  const events = await audit.once((e) => e.event === 'logout');
  expect(events.filter((e) => e.event === 'logout')).toEqual([
    auditLine('info', {
      event: 'logout',
      actor: `user:${sub}`,
      target: 'client:webapp',
      outcome: 'success',
      sid: expect.any(String),
    }),
  ]);
  const consented = events.filter((e) => e.event === 'consent.given' && e.actor === `user:${sub}`).at(-1)!;
  expect(events.filter((e) => e.event === 'grant.revoked' && e.reason === 'logout')).toEqual([
    auditLine('info', {
      event: 'grant.revoked',
      actor: `user:${sub}`,
      target: `grant:${String(consented.grantId)}`,
      outcome: 'success',
      reason: 'logout',
    }),
  ]);
});
