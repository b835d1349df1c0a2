import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';

import { makeKey, startTestIssuer } from './support/test-issuer.ts';
import type { IssuerKey, TestIssuer } from './support/test-issuer.ts';

// A third-party resource-server library (Auth0's express-oauth2-jwt-bearer, strict RFC 9068
// mode included) accepts tokens shaped exactly like Tessera's; third-party-tessera.test.ts repeats it
// against a running Tessera. That library allows only the algorithms the discovery document
// lists in id_token_signing_alg_values_supported, so the test issuer lists Tessera's.

let issuer: TestIssuer;
let es256: IssuerKey;
let rs256: IssuerKey;
let server: Server;
let base: string;

beforeAll(async () => {
  [es256, rs256] = await Promise.all([makeKey('ES256'), makeKey('RS256')]);
  issuer = await startTestIssuer([es256, rs256]);
  const app = express();
  for (const alg of ['ES256', 'RS256'] as const) {
    for (const strict of [false, true]) {
      app.get(
        `/${alg}/${strict ? 'strict' : 'default'}`,
        auth({ issuerBaseURL: issuer.url, audience: 'resource_server', tokenSigningAlg: alg, strict }),
        (req, res) => {
          res.json(req.auth?.payload);
        },
      );
    }
  }
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ready) => server.once('listening', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  await issuer.close();
});

async function status(path: string, token: string): Promise<[number, unknown]> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return [response.status, response.status === 200 ? await response.json() : undefined];
}

test.each([
  ['ES256', 'default'],
  ['ES256', 'strict'],
  ['RS256', 'default'],
  ['RS256', 'strict'],
] as const)('%s (%s mode) accepts an RFC 9068 token from the issuer', async (alg, mode) => {
  const token = await issuer.sign(alg === 'ES256' ? es256 : rs256, { jti: 'interop-1' });
  expect(await status(`/${alg}/${mode}`, token)).toEqual([
    200,
    {
      iss: issuer.url,
      aud: 'resource_server',
      sub: 'user-42',
      client_id: 'orders-app',
      scope: 'api:read api:write',
      jti: 'interop-1',
      iat: expect.any(Number),
      exp: expect.any(Number),
    },
  ]);
});

test('and refuses what it should: another audience, an expired token, an ID token in strict mode', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect((await status('/ES256/default', await issuer.sign(es256, { aud: 'payments' })))[0]).toBe(401);
  expect((await status('/ES256/default', await issuer.sign(es256, { iat: now - 600, exp: now - 60 })))[0]).toBe(401);
  expect((await status('/ES256/strict', await issuer.sign(es256, {}, { typ: 'JWT' })))[0]).toBe(401);
  expect((await status('/RS256/default', await issuer.sign(es256)))[0]).toBe(401);
});
