import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import * as client from 'openid-client';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { listen } from './support/protected-apps.ts';
import type { ProtectedApp } from './support/protected-apps.ts';
import { serviceClient } from './support/tessera-clients.ts';

// Auth0's express-oauth2-jwt-bearer (1.10, DPoP on by default), configured as its docs say,
// accepts a DPoP-bound token from a running Tessera with openid-client's proof and refuses it
// as a bearer token: Tessera's tokens carry `cnf.jkt` the way RFC 9449 §6.1 says.

const SECRET = 'dpop-service-secret-0123456789abcdefghij';
const CONFIG = {
  clients: [serviceClient('dpop-service', SECRET, { dpop_bound_access_tokens: true })],
};

let tessera: TesseraProcess;
let app: ProtectedApp;
let base: string;

beforeAll(async () => {
  tessera = await startTessera({ configFile: CONFIG });
  const server = express();
  server.get(
    '/orders',
    auth({ issuerBaseURL: tessera.url, audience: 'resource_server', tokenSigningAlg: 'ES256', dpop: { enabled: true, required: false } }),
    (req, res) => {
      res.json(req.auth?.payload);
    },
  );
  app = await listen(server.listen(0, '127.0.0.1'));
  base = app.url;
});

afterAll(() => Promise.all([app?.close(), tessera?.stop()]));

test('a Tessera DPoP-bound token passes express-oauth2-jwt-bearer with a proof, and is refused as Bearer', async () => {
  const config = await client.discovery(new URL(tessera.url), 'dpop-service', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
  const { access_token: token } = await client.clientCredentialsGrant(config, { scope: 'api:read' }, { DPoP });

  const response = await client.fetchProtectedResource(config, token, new URL(`${base}/orders`), 'GET', undefined, undefined, { DPoP });
  expect([response.status, await response.json()]).toEqual([200, expect.objectContaining({ client_id: 'dpop-service', cnf: { jkt: expect.any(String) } })]);

  const asBearer = await fetch(`${base}/orders`, { headers: { authorization: `Bearer ${token}` } });
  expect(asBearer.status).toBe(401);
  expect(asBearer.headers.get('www-authenticate')).toBe(
    'Bearer realm="api", error="invalid_token", ' +
      'error_description="DPoP-bound token requires the DPoP authentication scheme, not Bearer.", ' +
      'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA"',
  );
});
