import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as client from 'openid-client';

import { addUser, authorize, browse, CookieJar } from '../support/login-flow.ts';
import { runTesseraExpectingFailure, startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// PKCE is required of every client; a confidential client registered with
// `pkce_required: false` may leave it out, and only in an OpenID request with a nonce.

const SECRET = 'pkce-opt-out-secret-0123456789abcdefghij';
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:9/cb';
const OPT_OUT_REFUSAL =
  'PKCE is required: send code_challenge, or, as this client is registered with pkce_required false, an OpenID request (scope openid) with a nonce';
let tessera: TesseraProcess;
let optedOut: client.Configuration;
let regular: client.Configuration;

const discover = (clientId: string) =>
  client.discovery(new URL(tessera.url), clientId, undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        { client_id: 'no-pkce-app', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], pkce_required: false },
        { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  [optedOut, regular] = await Promise.all([discover('no-pkce-app'), discover('webapp')]);
});

afterAll(async () => {
  await tessera.stop();
});

/** Where Tessera sends the browser for an authorization request without PKCE: the error it answers with, if any. */
async function refusal(config: client.Configuration, params: Record<string, string>): Promise<Record<string, string>> {
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, state: 'st', ...params });
  const response = await browse(new CookieJar(), url.href);
  const location = new URL(response.headers.get('location')!, tessera.url);
  expect(location.href.startsWith(REDIRECT)).toBe(true);
  return Object.fromEntries([...location.searchParams].filter(([name]) => name.startsWith('error')));
}

test('the opted-out client signs in without PKCE in an OpenID request with a nonce; the ID token carries the nonce', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config: optedOut,
    redirectUri: REDIRECT,
    scope: 'openid',
    username: 'alice',
    password: PASSWORD,
    pkce: false,
  });
  const tokens = await client.authorizationCodeGrant(optedOut, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce });
  expect(tokens.claims()).toMatchObject({ iss: tessera.url, aud: 'no-pkce-app', nonce: flow.nonce });
});

test('the opted-out client that does send PKCE has it checked', async () => {
  const flow = await authorize({ issuer: tessera.url, config: optedOut, redirectUri: REDIRECT, scope: 'openid', username: 'alice', password: PASSWORD });
  await expect(
    client.authorizationCodeGrant(optedOut, flow.callback, {
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    }),
  ).rejects.toMatchObject({ error: 'invalid_grant', error_description: 'grant request is invalid' });
});

test('without a nonce, or without openid, the opted-out client must use PKCE, and is told so', async () => {
  expect(await refusal(optedOut, { scope: 'openid' })).toEqual({ error: 'invalid_request', error_description: OPT_OUT_REFUSAL });
  expect(await refusal(optedOut, { scope: 'api:read' })).toEqual({ error: 'invalid_request', error_description: OPT_OUT_REFUSAL });
  expect(await refusal(optedOut, { scope: 'api:read', nonce: 'n-0123456789' })).toEqual({
    error: 'invalid_request',
    error_description: 'openid scope must be requested when using the nonce parameter',
  });
});

test('every other client must use PKCE, nonce or not', async () => {
  expect(await refusal(regular, { scope: 'openid', nonce: 'n-0123456789' })).toEqual({
    error: 'invalid_request',
    error_description: 'Authorization Server policy requires PKCE to be used for this request',
  });
});

test('a public client cannot opt out: the start is refused, naming the client', async () => {
  const file = join(tempDir(), 'tessera.json');
  writeFileSync(
    file,
    JSON.stringify({
      clients: [
        { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], pkce_required: false },
        { client_id: 'odd', client_secret: SECRET, redirect_uris: [REDIRECT], pkce_required: 'no' },
      ],
    }),
  );
  const { code, stderr } = await runTesseraExpectingFailure({ CONFIG_FILE: file, CERTS_DIR: tempDir() });
  expect(code).toBe(1);
  expect(stderr).toContain(
    '  - clients (CONFIG_FILE)[0].pkce_required: may be false only for a confidential client: a public client (token_endpoint_auth_method none) always uses PKCE\n',
  );
  expect(stderr).toContain('  - clients (CONFIG_FILE)[1].pkce_required: must be true or false\n');
});
