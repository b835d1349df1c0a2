import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import * as client from 'openid-client';

import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { PASSWORD, REDIRECT, SERVICE_SECRET, serviceClient, WEB_SECRET, webappClient } from './support/tessera-clients.ts';

// Auth0's express-oauth2-jwt-bearer, a resource-server library written elsewhere, configured
// only with Tessera's issuer URL and an audience, accepts the access tokens a running Tessera
// issues: ES256 for the default audience, RS256 for a resource server that asks for it, in the
// library's default and strict (RFC 9068) modes.

const CONFIG = {
  clients: [serviceClient('orders-service', SERVICE_SECRET), webappClient()],
  resourceServers: [
    { indicator: 'https://api.example.com', audience: 'resource_server', scopes: ['api:read'] },
    { indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'], signingAlg: 'RS256' },
  ],
};

let tessera: TesseraProcess;
let service: client.Configuration;
let server: Server;
let base: string;

beforeAll(async () => {
  tessera = await startTessera({ configFile: CONFIG });
  service = await client.discovery(new URL(tessera.url), 'orders-service', undefined, client.ClientSecretBasic(SERVICE_SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const app = express();
  for (const [audience, alg] of [
    ['resource_server', 'ES256'],
    ['payments', 'RS256'],
  ] as const) {
    for (const strict of [false, true]) {
      app.get(`/${audience}/${strict ? 'strict' : 'default'}`, auth({ issuerBaseURL: tessera.url, audience, tokenSigningAlg: alg, strict }), (req, res) => {
        res.json(req.auth?.payload);
      });
    }
  }
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ready) => server.once('listening', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await tessera?.stop();
});

async function call(path: string, token: string): Promise<[number, unknown]> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return [response.status, response.status === 200 ? await response.json() : undefined];
}

test('discovery lists the algorithms the library insists on', async () => {
  const discovery = (await (await fetch(`${tessera.url}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
  expect(discovery.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256']));
});

test.each([
  ['resource_server', 'https://api.example.com', 'api:read', 'default'],
  ['resource_server', 'https://api.example.com', 'api:read', 'strict'],
  ['payments', 'https://payments.example.com', 'payments', 'default'],
  ['payments', 'https://payments.example.com', 'payments', 'strict'],
] as const)('a client_credentials token for %s (%s, %s, %s mode) is accepted unchanged', async (audience, resource, scope, mode) => {
  const tokens = await client.clientCredentialsGrant(service, { scope, resource });
  expect(await call(`/${audience}/${mode}`, tokens.access_token)).toEqual([
    200,
    {
      iss: tessera.url,
      aud: audience,
      sub: 'orders-service',
      client_id: 'orders-service',
      scope,
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
    },
  ]);
});

test('the library refuses a Tessera token for another audience, and in strict mode a Tessera ID token', async () => {
  const payments = await client.clientCredentialsGrant(service, { scope: 'payments', resource: 'https://payments.example.com' });
  expect((await call('/resource_server/default', payments.access_token))[0]).toBe(401);

  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  const webapp = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(WEB_SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({ issuer: tessera.url, config: webapp, redirectUri: REDIRECT, scope: 'openid', username: 'alice', password: PASSWORD });
  const tokens = await client.authorizationCodeGrant(webapp, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  // The access token of that login is accepted; its ID token (aud webapp, typ JWT) is not.
  expect((await call('/resource_server/strict', tokens.access_token))[0]).toBe(200);
  expect((await call('/resource_server/strict', tokens.id_token!))[0]).toBe(401);
});
