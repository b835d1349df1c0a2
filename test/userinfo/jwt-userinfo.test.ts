import * as client from 'openid-client';
import { decodeJwt } from 'jose';

import { addUser, authorize } from '../support/login-flow.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const SERVICE_SECRET = 'orders-service-secret-0123456789abcdef';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const SHORT = 'https://short.example.com';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({ configFile: {
    clients: [
      { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] },
      { client_id: 'orders', client_secret: SERVICE_SECRET, grant_types: ['client_credentials', EXCHANGE], redirect_uris: [], response_types: [],
        token_exchange: { targets: [{ audience: 'resource_server', scope: 'api:read' }] } },
    ],
    resourceServers: [{ indicator: SHORT, audience: 'short', scopes: ['api:read'], accessTokenTTL: 2 }],
  } });
  for (const name of ['alice', 'bob', 'carol']) addUser(tessera.redisEnv!, name, PASSWORD, '--email', `${name}@example.com`, '--name', `${name} Liddell`);
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

async function signIn(username: string, scope: string, resource?: string) {
  const extra = resource ? { resource } : undefined;
  const flow = await authorize({ issuer: tessera.url, config, redirectUri: REDIRECT, scope, username, password: PASSWORD, ...(extra ? { extra } : {}) });
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce,
  }, extra);
  return { flow, tokens };
}

/** The userinfo endpoint's answer to a bearer token, as a relying party gets it. */
async function userinfo(token: string) {
  const response = await fetch(`${tessera.url}/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: await response.json() as unknown };
}

const invalidToken = (detail = 'invalid token provided') => ({
  status: 401,
  wwwAuthenticate: `Bearer realm="${tessera.url}", error="invalid_token", error_description="${detail}"`,
  body: { error: 'invalid_token', error_description: detail },
});

test('openid-client fetchUserInfo with the access token of the code exchange gets the claims of the granted scopes', async () => {
  const { tokens } = await signIn('alice', 'openid profile email api:read');
  expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: 'resource_server', scope: 'api:read', client_id: 'webapp' });
  const { iss: _iss, aud: _aud, exp: _exp, iat: _iat, nonce: _nonce, at_hash: _atHash, auth_time: _authTime, sid: _sid, ...idClaims } = tokens.claims()!;
  const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  expect(info).toEqual(idClaims);
  expect(info).toMatchObject({ email: 'alice@example.com', name: 'alice Liddell', preferred_username: 'alice' });
});

test('the token response names the granted OpenID scopes with the resource server\'s', async () => {
  const { tokens } = await signIn('alice', 'openid profile email api:read');
  expect(tokens.scope).toBe('openid profile email api:read');
  const only = await signIn('alice', 'openid email');
  expect(only.tokens.scope).toBe('openid email');
  const info = await client.fetchUserInfo(config, only.tokens.access_token, only.tokens.claims()!.sub);
  expect(Object.keys(info).sort()).toEqual(['email', 'email_verified', 'sub']);
});

test('userinfo refuses a client_credentials token with 401 invalid_token', async () => {
  const cc = await client.clientCredentialsGrant(
    await client.discovery(new URL(tessera.url), 'orders', undefined, client.ClientSecretBasic(SERVICE_SECRET), { execute: [client.allowInsecureRequests] }),
    { scope: 'api:read' },
  );
  expect(await userinfo(cc.access_token)).toEqual(invalidToken());
});

test('userinfo refuses an exchanged token with 401 invalid_token', async () => {
  const { tokens } = await signIn('alice', 'openid api:read');
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`orders:${SERVICE_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: EXCHANGE, subject_token: tokens.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'resource_server', scope: 'api:read' }),
  });
  expect(response.status).toBe(200);
  const { access_token: exchanged } = await response.json() as { access_token: string };
  expect(decodeJwt(exchanged)).toMatchObject({ sub: decodeJwt(tokens.access_token).sub, act: { sub: 'orders' } });
  expect(await userinfo(exchanged)).toEqual(invalidToken());
});

test('userinfo refuses the access token of a revoked grant (its code was replayed)', async () => {
  const { flow, tokens } = await signIn('alice', 'openid profile');
  expect((await userinfo(tokens.access_token)).status).toBe(200);
  const replay = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: flow.codeVerifier }),
  });
  expect(replay.status).toBe(400);
  expect(await userinfo(tokens.access_token)).toEqual(invalidToken());
});

test('userinfo refuses the access token of a disabled user, and of a deleted one', async () => {
  const bob = await signIn('bob', 'openid profile');
  const carol = await signIn('carol', 'openid profile');
  expect((await userinfo(bob.tokens.access_token)).status).toBe(200);
  expect(tesseraCli(tessera.redisEnv!, 'users', 'disable', 'bob').code).toBe(0);
  expect(tesseraCli(tessera.redisEnv!, 'users', 'delete', 'carol').code).toBe(0);
  expect(await userinfo(bob.tokens.access_token)).toEqual(invalidToken());
  expect(await userinfo(carol.tokens.access_token)).toEqual(invalidToken());
});

test('userinfo refuses an expired access token and a tampered one', async () => {
  const { tokens } = await signIn('alice', 'openid profile api:read', SHORT);
  expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: 'short' });
  expect((await userinfo(tokens.access_token)).status).toBe(200);
  const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string];
  const claims = decodeJwt(tokens.access_token);
  const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp! + 3600 })).toString('base64url');
  expect(payload).not.toBe(forged);
  await new Promise((resolve) => setTimeout(resolve, 3100));
  expect(await userinfo(tokens.access_token)).toEqual(invalidToken());
  expect(await userinfo(`${header}.${forged}.${signature}`)).toEqual(invalidToken());
});
