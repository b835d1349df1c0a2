import * as client from 'openid-client';
import { decodeJwt } from 'jose';

import { discover, PASSWORD, redeemAgain, serviceClient, SHORT_LIVED, signInToWebapp, TOKEN_EXCHANGE, webappClient } from '../support/code-flow.ts';
import { addUser } from '../support/login-flow.ts';
import { tesseraCli } from '../support/tessera-cli.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SERVICE_SECRET = 'orders-service-secret-0123456789abcdef';
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        webappClient(),
        serviceClient('orders', SERVICE_SECRET, {
          grant_types: ['client_credentials', TOKEN_EXCHANGE],
          token_exchange: { targets: [{ audience: 'resource_server', scope: 'api:read' }] },
        }),
      ],
      resourceServers: [SHORT_LIVED],
    },
  });
  for (const name of ['alice', 'bob', 'carol']) addUser(tessera.redisEnv!, name, PASSWORD, '--email', `${name}@example.com`, '--name', `${name} Liddell`);
  config = await discover(tessera.url, 'webapp', webappClient().client_secret);
});

afterAll(async () => {
  await tessera.stop();
});

const signIn = (username: string, scope: string, resource?: string, parameters?: Record<string, string>) =>
  signInToWebapp(tessera.url, config, username, scope, resource, parameters);

/** The userinfo endpoint's answer to a bearer token, as a relying party gets it. */
async function userinfo(token: string) {
  const response = await fetch(`${tessera.url}/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: (await response.json()) as unknown };
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

test("the token response names the granted OpenID scopes with the resource server's", async () => {
  const { tokens } = await signIn('alice', 'openid profile email api:read');
  expect(tokens.scope).toBe('openid profile email api:read');
  const only = await signIn('alice', 'openid email');
  expect(only.tokens.scope).toBe('openid email');
  const info = await client.fetchUserInfo(config, only.tokens.access_token, only.tokens.claims()!.sub);
  expect(Object.keys(info).sort()).toEqual(['email', 'email_verified', 'sub']);
});

test('userinfo refuses a client_credentials token with 401 invalid_token', async () => {
  const cc = await client.clientCredentialsGrant(await discover(tessera.url, 'orders', SERVICE_SECRET), { scope: 'api:read' });
  expect(await userinfo(cc.access_token)).toEqual(invalidToken());
});

test('userinfo refuses an exchanged token with 401 invalid_token', async () => {
  const { tokens } = await signIn('alice', 'openid api:read');
  const { access_token: exchanged } = await client.genericGrantRequest(await discover(tessera.url, 'orders', SERVICE_SECRET), TOKEN_EXCHANGE, {
    subject_token: tokens.access_token,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    audience: 'resource_server',
    scope: 'api:read',
  });
  expect(decodeJwt(exchanged)).toMatchObject({ sub: decodeJwt(tokens.access_token).sub, act: { sub: 'orders' } });
  expect(await userinfo(exchanged)).toEqual(invalidToken());
});

test('userinfo refuses the access token of a revoked grant (its code was replayed)', async () => {
  const { flow, tokens } = await signIn('alice', 'openid profile');
  expect((await userinfo(tokens.access_token)).status).toBe(200);
  expect(await redeemAgain(tessera.url, flow)).toBe(400);
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
  const { tokens } = await signIn('alice', 'openid profile api:read', SHORT_LIVED.indicator);
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

test('after a refresh the new access token works at userinfo and the response names the granted scopes; a narrowed refresh names fewer', async () => {
  const { tokens } = await signIn('alice', 'openid profile email offline_access api:read', undefined, { prompt: 'consent' });
  expect(tokens.scope).toBe('openid profile email offline_access api:read');
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.scope).toBe('openid profile email offline_access api:read');
  const sub = decodeJwt(refreshed.access_token).sub!;
  expect(await client.fetchUserInfo(config, refreshed.access_token, sub)).toMatchObject({ sub, email: 'alice@example.com', name: 'alice Liddell' });
  const narrowed = await client.refreshTokenGrant(config, refreshed.refresh_token!, { scope: 'openid email api:read' });
  expect(narrowed.scope).toBe('openid email api:read');
  expect(Object.keys(await client.fetchUserInfo(config, narrowed.access_token, sub)).sort()).toEqual(['email', 'email_verified', 'sub']);
});
