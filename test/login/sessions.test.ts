import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import * as client from 'openid-client';

import { addUser, authorize, browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { ROOT, startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BYE = 'http://127.0.0.1:9/bye';
const PASSWORD = 'correct horse battery staple';
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'webapp',
          client_secret: SECRET,
          client_name: 'Web App',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          post_logout_redirect_uris: [BYE],
        },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  addUser(tessera.redisEnv!, 'bob', PASSWORD);
  addUser(tessera.redisEnv!, 'carol', PASSWORD);
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

async function signIn(username: string, jar?: CookieJar) {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access api:read',
    username,
    password: PASSWORD,
    extra: { prompt: 'consent' },
    ...(jar ? { jar } : {}),
  });
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  return { flow, tokens };
}

async function refresh(refreshToken: string) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

test('refresh rotates the refresh token; the old one is refused after use and its reuse revokes the new one', async () => {
  const { tokens } = await signIn('alice');
  expect(tokens.refresh_token).toEqual(expect.any(String));
  const first = await refresh(tokens.refresh_token!);
  expect(first.status).toBe(200);
  expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
  expect(await refresh(tokens.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  expect(await refresh(first.body.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
});

test('after RP-initiated logout the next authorization request asks for the password again', async () => {
  const { flow, tokens } = await signIn('bob');
  const jar = flow.jar;
  const logout = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE, state: 'bye-state' });
  const page = await browse(jar, logout.href);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Do you want to sign out');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
  const action = /action="([^"]+)"/.exec(html)![1]!;
  const done = await browse(jar, new URL(action, tessera.url).href, { xsrf, logout: 'yes' });
  expect(done.status).toBe(303);
  expect(done.headers.get('location')).toBe(`${BYE}?state=bye-state`);

  const again = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: 'z'.repeat(43),
    code_challenge_method: 'S256',
  });
  const start = await browse(jar, again.href);
  const loginPage = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  expect(await loginPage.text()).toContain('name="password"');
});

test('repeated wrong passwords are throttled with Retry-After, shared through Redis', async () => {
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'w'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  const html = await page.text();
  const uid = /action="\/interaction\/([\w-]+)\//.exec(html)![1]!;
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 8; i++) {
    last = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username: 'carol', password: `wrong-${i}` });
    statuses.push(last.status);
  }
  // Five failures are free; the sixth is still checked, and sets a back-off that refuses the next.
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await last!.text()).toMatch(/Too many attempts\. Try again in \d+ seconds\./);
  // Even the right password is refused while throttled.
  const right = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username: 'carol', password: PASSWORD });
  expect(right.status).toBe(429);
  const throttled = tessera.logs().filter((l) => l.event === 'login.throttled');
  expect(throttled.length).toBeGreaterThan(0);
  expect(throttled[0]).toMatchObject({ level: 'warn', user: expect.stringMatching(/^[\w-]{16}$/), ip: '127.0.0.1' });
  expect(tessera.output()).not.toContain('carol');
});

test('a disabled user cannot sign in and loses refresh on the next use', async () => {
  addUser(tessera.redisEnv!, 'dave', PASSWORD);
  const { tokens } = await signIn('dave');
  const disable = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'users', 'disable', 'dave'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...tessera.redisEnv! },
  });
  expect(disable.status).toBe(0);
  expect(await refresh(tokens.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  await expect(authorize({ issuer: tessera.url, config, redirectUri: REDIRECT, scope: 'openid', username: 'dave', password: PASSWORD })).rejects.toThrow(
    /interaction answered 401/,
  );
});

test('a forged CSRF token is refused', async () => {
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'v'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  const uid = /action="\/interaction\/([\w-]+)\//.exec(await page.text())![1]!;
  const answer = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: 'forged', username: 'alice', password: PASSWORD });
  expect(answer.status).toBe(403);
});

/**
 * An instance with a refresh-token reuse grace of `grace` seconds, its client and one signed-in user;
 * `use(token)` spends a refresh token at it.
 */
async function graceInstance(grace: number, started: TesseraProcess[]) {
  const instance = await startTessera({
    env: { REFRESH_TOKEN_REUSE_GRACE: String(grace) },
    configFile: {
      clients: [
        {
          client_id: 'webapp',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
    },
  });
  started.push(instance);
  addUser(instance.redisEnv!, 'erin', PASSWORD);
  const conf = await client.discovery(new URL(instance.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({
    issuer: instance.url,
    config: conf,
    redirectUri: REDIRECT,
    scope: 'openid offline_access',
    username: 'erin',
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  const tokens = await client.authorizationCodeGrant(conf, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  const use = async (token: string) =>
    fetch(`${instance.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
    });
  return { instance, refreshToken: tokens.refresh_token!, use };
}
type GraceInstance = Awaited<ReturnType<typeof graceInstance>>;

// Two instances: within the grace is asked of one whose grace (the most allowed, 300 s) no machine's slowness
// can use up; after it, of one with a 1 s grace, used again only once more than that has passed.
test('REFRESH_TOKEN_REUSE_GRACE: a second use within the grace period succeeds; after it, reuse revokes the grant', async () => {
  const started: TesseraProcess[] = [];
  try {
    const [patient, brief] = (await Promise.allSettled([graceInstance(300, started), graceInstance(1, started)])).map((outcome) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      return outcome.value;
    }) as [GraceInstance, GraceInstance];
    const [tabOne, tabTwo] = await Promise.all([patient.use(patient.refreshToken), patient.use(patient.refreshToken)]);
    expect([tabOne.status, tabTwo.status]).toEqual([200, 200]);

    const first = await brief.use(brief.refreshToken);
    expect(first.status).toBe(200);
    // Consumption is stamped in whole seconds: more than 2 s later is past a 1 s grace whatever the rounding.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await brief.use(brief.refreshToken);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });
    const newest = ((await first.json()) as { refresh_token: string }).refresh_token;
    const revoked = await brief.use(newest);
    expect(revoked.status).toBe(400);
  } finally {
    await Promise.all(started.map((instance) => instance.stop()));
  }
});
