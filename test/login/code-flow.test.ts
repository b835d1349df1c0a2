import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import { addUser, authorize, browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
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
          post_logout_redirect_uris: ['http://127.0.0.1:9/bye'],
        },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', 'correct horse battery staple', '--email', 'alice@example.com', '--name', 'Alice Liddell');
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

async function signIn(scope = 'openid profile email api:read') {
  const flow = await authorize({ issuer: tessera.url, config, redirectUri: REDIRECT, scope, username: 'alice', password: 'correct horse battery staple' });
  return {
    flow,
    tokens: await client.authorizationCodeGrant(config, flow.callback, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    }),
  };
}

test("login → consent → code → tokens: an ID token with the user's claims and an access token resource servers accept", async () => {
  const { tokens } = await signIn();
  const claims = tokens.claims()!;
  expect(claims).toMatchObject({ iss: tessera.url, aud: 'webapp', email: 'alice@example.com', name: 'Alice Liddell', preferred_username: 'alice' });
  expect(claims.sub).toMatch(/^[\w-]{16,}$/);
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${tessera.url}/jwks`)), {
    issuer: tessera.url,
    audience: 'resource_server',
    typ: 'at+jwt',
  });
  expect(protectedHeader.typ).toBe('at+jwt');
  expect(payload).toMatchObject({ sub: claims.sub, client_id: 'webapp', scope: 'api:read' });
});

test('a replayed code is invalid_grant, and the tokens of the first redemption are revoked', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access api:read',
    username: 'alice',
    password: 'correct horse battery staple',
    extra: { prompt: 'consent' },
  });
  const code = flow.callback.searchParams.get('code')!;
  const redeem = () =>
    fetch(`${tessera.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: flow.codeVerifier }),
    });
  const first = await redeem();
  expect(first.status).toBe(200);
  const { refresh_token: refreshToken } = (await first.json()) as { refresh_token: string };
  const replay = await redeem();
  expect(replay.status).toBe(400);
  expect(await replay.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });
  await expect(client.refreshTokenGrant(config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('prompt=login and max_age ask for the password again despite a session', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid',
    username: 'alice',
    password: 'correct horse battery staple',
  });
  const asksPassword = async (extra: Record<string, string>) => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: 'p'.repeat(43),
      code_challenge_method: 'S256',
      ...extra,
    });
    const start = await browse(flow.jar, url.href);
    const next = new URL(start.headers.get('location')!, tessera.url);
    if (next.href.startsWith(REDIRECT)) return false;
    return (await (await browse(flow.jar, next.href)).text()).includes('name="password"');
  };
  expect(await asksPassword({})).toBe(false);
  expect(await asksPassword({ prompt: 'login' })).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 2100));
  expect(await asksPassword({ max_age: '1' })).toBe(true);
  expect(await asksPassword({ max_age: '3600' })).toBe(false);
});

test('a wrong PKCE verifier is invalid_grant', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid',
    username: 'alice',
    password: 'correct horse battery staple',
  });
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: client.randomPKCECodeVerifier(),
    }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });
});

test('deny on consent sends access_denied to the client', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid email',
    username: 'alice',
    password: 'correct horse battery staple',
    decision: 'deny',
  });
  expect(flow.callback.searchParams.get('error')).toBe('access_denied');
  expect(flow.callback.searchParams.get('error_description')).toBe('End-User aborted interaction');
  expect(flow.callback.searchParams.get('state')).toBe(flow.state);
});

test('a redirect URI that is not registered exactly gets an error page, not a redirect', async () => {
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${REDIRECT}/other`,
    scope: 'openid',
    code_challenge: 'x'.repeat(43),
    code_challenge_method: 'S256',
  });
  const response = await browse(new CookieJar(), url.href);
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  const html = await response.text();
  expect(html).toContain('The application sent you here with an address Tessera does not know');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
});

test('an unknown user and a wrong password get byte-identical answers', async () => {
  const attempt = async (username: string) => {
    const jar = new CookieJar();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: 'y'.repeat(43),
      code_challenge_method: 'S256',
      state: 's',
    });
    const start = await browse(jar, url.href);
    const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
    const html = await page.text();
    const uid = /action="\/interaction\/([\w-]+)\//.exec(html)![1]!;
    const answer = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username, password: 'wrong-password-123' });
    const body = (await answer.text())
      .replaceAll(uid, 'UID')
      .replace(/name="csrf" value="[^"]+"/g, 'CSRF')
      .replace(/value="[^"]*" aria/, 'USER aria');
    return { status: answer.status, type: answer.headers.get('content-type'), body };
  };
  const unknown = await attempt('nobody-here');
  const wrong = await attempt('alice');
  expect(unknown.status).toBe(401);
  expect(wrong).toEqual(unknown);
});
