import * as client from 'openid-client';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';

import { discover, PASSWORD, redeemAgain, serviceClient, SHORT_LIVED, signInToWebapp, TOKEN_EXCHANGE, webappClient } from '../support/code-flow.ts';
import { addUser } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SERVICE_SECRET = 'orders-service-secret-0123456789abcdef';
const GATEWAY_SECRET = 'gateway-secret-0123456789abcdefghijklmn';
const STRANGER_SECRET = 'stranger-secret-0123456789abcdefghijklm';
let tessera: TesseraProcess;
let webapp: client.Configuration;
let orders: client.Configuration;
let gateway: client.Configuration;
let stranger: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    env: { ACCESS_TOKEN_INTROSPECTORS: 'gateway' },
    configFile: {
      clients: [
        webappClient(),
        serviceClient('orders', SERVICE_SECRET, {
          grant_types: ['client_credentials', TOKEN_EXCHANGE],
          token_exchange: { targets: [{ audience: 'resource_server', scope: 'api:read' }] },
        }),
        serviceClient('gateway', GATEWAY_SECRET),
        serviceClient('stranger', STRANGER_SECRET),
      ],
      resourceServers: [{ ...SHORT_LIVED, introspectors: ['gateway'] }],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  [webapp, orders, gateway, stranger] = await Promise.all([
    discover(tessera.url, 'webapp', webappClient().client_secret),
    discover(tessera.url, 'orders', SERVICE_SECRET),
    discover(tessera.url, 'gateway', GATEWAY_SECRET),
    discover(tessera.url, 'stranger', STRANGER_SECRET),
  ]);
});

afterAll(async () => {
  await tessera.stop();
});

const signIn = (scope: string, resource?: string) => signInToWebapp(tessera.url, webapp, 'alice', scope, resource);

/** What introspection should say of a live JWT access token: its claims, as RFC 7662 names them. */
function described(jwt: string, more: Record<string, unknown> = {}) {
  const { sub, client_id: clientId, aud, scope, exp, iat, jti, grant_ref: grantRef } = decodeJwt(jwt);
  // A token of a grant (and one exchanged from it) carries its grant_ref, described as signed.
  return {
    active: true,
    iss: tessera.url,
    sub,
    client_id: clientId,
    aud,
    scope,
    exp,
    iat,
    jti,
    token_type: 'Bearer',
    ...(grantRef ? { grant_ref: grantRef } : {}),
    ...more,
  };
}

test('an introspector gets active: true and the claims of a valid JWT access token of the code flow', async () => {
  const { tokens } = await signIn('openid profile api:read');
  expect(await client.tokenIntrospection(gateway, tokens.access_token)).toEqual(described(tokens.access_token));
  // The client the token was issued to may introspect it too.
  expect(await client.tokenIntrospection(webapp, tokens.access_token)).toEqual(described(tokens.access_token));
});

test('client_credentials and exchanged JWTs are described, the exchanged one with act', async () => {
  const cc = await client.clientCredentialsGrant(orders, { scope: 'api:read' });
  expect(await client.tokenIntrospection(gateway, cc.access_token)).toEqual(described(cc.access_token, { sub: 'orders' }));
  const { tokens } = await signIn('openid api:read');
  const exchanged = await client.genericGrantRequest(orders, TOKEN_EXCHANGE, {
    subject_token: tokens.access_token,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    audience: 'resource_server',
    scope: 'api:read',
  });
  expect(await client.tokenIntrospection(gateway, exchanged.access_token)).toEqual(described(exchanged.access_token, { act: { sub: 'orders' } }));
});

test("a client that is neither the token's nor an introspector of its audience gets active: false", async () => {
  const { tokens } = await signIn('openid api:read');
  expect(await client.tokenIntrospection(stranger, tokens.access_token)).toEqual({ active: false });
  const cc = await client.clientCredentialsGrant(orders, { scope: 'api:read' });
  expect(await client.tokenIntrospection(stranger, cc.access_token)).toEqual({ active: false });
  expect(await client.tokenIntrospection(webapp, cc.access_token)).toEqual({ active: false });
});

test('expired, tampered and foreign JWTs are active: false', async () => {
  const { tokens } = await signIn('openid api:read', SHORT_LIVED.indicator);
  expect(await client.tokenIntrospection(gateway, tokens.access_token)).toEqual(described(tokens.access_token, { aud: 'short' }));
  const claims = decodeJwt(tokens.access_token);
  const header = decodeProtectedHeader(tokens.access_token);
  const [encodedHeader, , signature] = tokens.access_token.split('.') as [string, string, string];
  const tampered = `${encodedHeader}.${Buffer.from(JSON.stringify({ ...claims, scope: 'api:read api:write' })).toString('base64url')}.${signature}`;
  const { privateKey } = await generateKeyPair('ES256');
  const foreignKey = await new SignJWT({ ...claims, aud: 'resource_server', exp: claims.exp! + 3600 })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: header.kid! })
    .sign(privateKey);
  const foreignIssuer = await new SignJWT({ ...claims, iss: 'https://elsewhere.example.com', aud: 'resource_server', exp: claims.exp! + 3600 })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'elsewhere' })
    .sign(privateKey);
  for (const token of [tampered, foreignKey, foreignIssuer]) {
    expect(await client.tokenIntrospection(gateway, token)).toEqual({ active: false });
  }
  await new Promise((resolve) => setTimeout(resolve, 3100));
  expect(await client.tokenIntrospection(gateway, tokens.access_token)).toEqual({ active: false });
});

test('the JWT access token of a revoked grant is active: false', async () => {
  const { flow, tokens } = await signIn('openid api:read');
  expect(await client.tokenIntrospection(gateway, tokens.access_token)).toMatchObject({ active: true });
  expect(await redeemAgain(tessera.url, flow)).toBe(400);
  expect(await client.tokenIntrospection(gateway, tokens.access_token)).toEqual({ active: false });
});
