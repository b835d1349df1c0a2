import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { decodeJwt } from 'jose';
import * as client from 'openid-client';

import { addUser, authorize, browse, CookieJar } from '../support/login-flow.ts';
import { runTesseraExpectingFailure, startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { tesseraCli } from '../support/tessera-cli.ts';

// Pushed authorization requests (RFC 9126): a client posts its authorization request to
// /request and sends the browser to /auth with the request_uri it got back. Any client may;
// a client with require_pushed_authorization_requests, or every client with PAR_REQUIRED, must.

const SECRET = 'par-client-secret-0123456789abcdefghijkl';
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PAR_REFUSAL = { error: 'invalid_request', error_description: 'Pushed Authorization Request must be used' };
let tessera: TesseraProcess;

const CLIENTS = [
  { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] },
  { client_id: 'par-only', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], require_pushed_authorization_requests: true },
];

const discover = (issuer: string, clientId: string) =>
  client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });

beforeAll(async () => {
  tessera = await startTessera({ configFile: { clients: CLIENTS } });
  addUser(tessera.redisEnv!, 'alice', PASSWORD, '--name', 'Alice Example');
});

afterAll(async () => {
  await tessera.stop();
});

/** Signs alice in through a pushed request and redeems the code. */
async function signInWithPar(issuer: string, clientId: string) {
  const config = await discover(issuer, clientId);
  const flow = await authorize({ issuer, config, redirectUri: REDIRECT, scope: 'openid profile api:read', username: 'alice', password: PASSWORD, par: true });
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  return Object.assign(tokens, { flow });
}

/** The error a direct (not pushed) authorization request is answered with at the redirect URI, if any. */
async function directRequest(issuer: string, clientId: string): Promise<Record<string, string>> {
  const config = await discover(issuer, clientId);
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    state: 'st',
    code_challenge: 'c'.repeat(43),
    code_challenge_method: 'S256',
  });
  const location = new URL((await browse(new CookieJar(), url.href)).headers.get('location')!, issuer);
  if (!location.href.startsWith(REDIRECT)) return {};
  return Object.fromEntries([...location.searchParams].filter(([name]) => name.startsWith('error')));
}

test('discovery names the PAR endpoint; by default no client is required to use it', async () => {
  const discovery = (await (await fetch(`${tessera.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  expect(discovery.pushed_authorization_request_endpoint).toBe(`${tessera.url}/request`);
  expect(discovery.require_pushed_authorization_requests).toBeUndefined();
  expect(await directRequest(tessera.url, 'webapp')).toEqual({});
});

test('openid-client buildAuthorizationUrlWithPAR: a full code flow, the browser carrying only client_id and request_uri', async () => {
  const config = await discover(tessera.url, 'webapp');
  const pushed = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: 'c'.repeat(43),
    code_challenge_method: 'S256',
  });
  expect([...pushed.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
  expect(pushed.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:[\w-]+$/);

  const tokens = await signInWithPar(tessera.url, 'webapp');
  expect(new URL(tokens.flow.authorizationUrl).searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  expect(tokens.claims()).toMatchObject({ iss: tessera.url, aud: 'webapp', name: 'Alice Example' });
  expect(tokens).toMatchObject({ token_type: 'bearer', access_token: expect.stringMatching(/^eyJ/) });
  expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: 'resource_server', client_id: 'webapp', scope: 'api:read' });

  // The request_uri was used up by the sign-in: the client hears so at its redirect URI.
  const again = new URL((await browse(tokens.flow.jar, tokens.flow.authorizationUrl)).headers.get('location')!);
  expect(`${again.origin}${again.pathname}`).toBe(REDIRECT);
  expect(Object.fromEntries([...again.searchParams].filter(([name]) => name.startsWith('error')))).toEqual({
    error: 'invalid_request_uri',
    error_description: 'request_uri is invalid, expired, or was already used',
  });
});

test('a pushed request is checked when it is pushed, with the error at the PAR endpoint (RFC 9126 §2.3: invalid_request)', async () => {
  const response = await fetch(`${tessera.url}/request`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      response_type: 'code',
      client_id: 'webapp',
      redirect_uri: 'https://elsewhere.example.com/cb',
      scope: 'openid',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: 'invalid_request',
    error_description: "redirect_uri did not match any of the client's registered redirect_uris",
  });
});

test('a client with require_pushed_authorization_requests must push: a direct request is refused, a pushed one signs in', async () => {
  expect(await directRequest(tessera.url, 'par-only')).toEqual(PAR_REFUSAL);
  expect((await signInWithPar(tessera.url, 'par-only')).claims()).toMatchObject({ aud: 'par-only' });
});

test('PAR_REQUIRED asks it of every client, and discovery says so', async () => {
  const strict = await startTessera({ env: { PAR_REQUIRED: 'true' }, configFile: { clients: CLIENTS } });
  try {
    addUser(strict.redisEnv!, 'alice', PASSWORD, '--name', 'Alice Example');
    const discovery = (await (await fetch(`${strict.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.require_pushed_authorization_requests).toBe(true);
    expect(await directRequest(strict.url, 'webapp')).toEqual(PAR_REFUSAL);
    expect((await signInWithPar(strict.url, 'webapp')).claims()).toMatchObject({ aud: 'webapp' });
  } finally {
    await strict.stop();
  }
});

test('bad PAR settings stop the start, naming them', async () => {
  const file = join(tempDir(), 'tessera.json');
  writeFileSync(file, JSON.stringify({ clients: [{ ...CLIENTS[0], require_pushed_authorization_requests: 'yes' }] }));
  const { code, stderr } = await runTesseraExpectingFailure({ CONFIG_FILE: file, CERTS_DIR: tempDir(), PAR_REQUIRED: 'sometimes' });
  expect(code).toBe(1);
  expect(stderr).toBe(
    'Tessera cannot start; fix these settings:\n' +
      '  - PAR_REQUIRED: must be true or false (got sometimes)\n' +
      '  - clients (CONFIG_FILE)[0].require_pushed_authorization_requests: must be true or false\n',
  );
});

test('tessera clients add --require-par stores a client that must push', async () => {
  const added = tesseraCli(tessera.redisEnv!, 'clients', 'add', 'par-stored', '--redirect-uris', REDIRECT, '--require-par');
  expect(added.code).toBe(0);
  try {
    expect(JSON.parse(tesseraCli(tessera.redisEnv!, 'clients', 'show', 'par-stored').stdout)).toMatchObject({ require_pushed_authorization_requests: true });
    const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
    const config = await client.discovery(new URL(tessera.url), 'par-stored', undefined, client.ClientSecretBasic(secret), {
      execute: [client.allowInsecureRequests],
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    });
    const location = new URL((await browse(new CookieJar(), url.href)).headers.get('location')!, tessera.url);
    expect(Object.fromEntries([...location.searchParams].filter(([name]) => name.startsWith('error')))).toEqual(PAR_REFUSAL);
  } finally {
    tesseraCli(tessera.redisEnv!, 'clients', 'remove', 'par-stored');
  }
});
