import * as client from 'openid-client';

import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BASIC = `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`;
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
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
  addUser(tessera.redisEnv!, 'alice', 'correct horse battery staple');
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

async function token(params: Record<string, string>) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const signIn = () =>
  authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access api:read',
    username: 'alice',
    password: 'correct horse battery staple',
    extra: { prompt: 'consent' },
  });

test('50 concurrent redemptions of one authorization code: exactly one token response, the rest invalid_grant, the grant revoked', async () => {
  const flow = await signIn();
  const params = { grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: flow.codeVerifier };
  const results = await Promise.all(Array.from({ length: 50 }, () => token(params)));
  const winners = results.filter((r) => r.status === 200);
  expect(winners).toHaveLength(1);
  for (const loser of results.filter((r) => r.status !== 200)) {
    expect(loser).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  }
  // The replay revoked the grant: the winner's refresh token no longer works.
  expect(await token({ grant_type: 'refresh_token', refresh_token: winners[0]!.body.refresh_token! })).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });
});

test('50 concurrent refreshes with one refresh token: exactly one token response, the rest invalid_grant, the grant revoked', async () => {
  const flow = await signIn();
  const first = await token({
    grant_type: 'authorization_code',
    code: flow.callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: flow.codeVerifier,
  });
  expect(first.status).toBe(200);
  const results = await Promise.all(Array.from({ length: 50 }, () => token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! })));
  const winners = results.filter((r) => r.status === 200);
  expect(winners).toHaveLength(1);
  expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(49);
  expect(await token({ grant_type: 'refresh_token', refresh_token: winners[0]!.body.refresh_token! })).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });
});
