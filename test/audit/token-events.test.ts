import * as client from 'openid-client';

import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { auditFile, auditLine, secretsIn } from './audit-stream.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const WRONG_SECRET = 'a-wrong-secret-0123456789abcdefghijklmnop';
const audit = auditFile();
const secrets: (string | undefined)[] = [PASSWORD, SECRET, WRONG_SECRET];
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    env: { AUDIT_LOG: audit.path },
    configFile: { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }] },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  expect(secretsIn(audit.text(), secrets)).toEqual([]);
  await tessera.stop();
});

async function signIn() {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access api:read',
    username: 'alice',
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  secrets.push(flow.callback.searchParams.get('code') ?? undefined, flow.codeVerifier);
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  secrets.push(tokens.access_token, tokens.refresh_token, tokens.id_token);
  const events = await audit.once((e) => e.event === 'consent.given');
  return { tokens, sub: tokens.claims()!.sub, grantId: String(events.filter((e) => e.event === 'consent.given').at(-1)!.grantId) };
}

/** POSTs a form to `path` as the web app (or with `secret`); status and body. */
async function post(path: string, form: Record<string, string>, secret = SECRET, clientId = 'webapp', requestId?: string) {
  const response = await fetch(`${tessera.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, string>) : {} };
}

test('refresh_token.reused: a rotated refresh token presented again names the client, the grant and the user; the grant it ends is grant.revoked', async () => {
  const { tokens, sub, grantId } = await signIn();
  const rotated = await post('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
  expect(rotated.status).toBe(200);
  secrets.push(rotated.body.refresh_token, rotated.body.access_token, rotated.body.id_token);
  const reused = await post('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, SECRET, 'webapp', 'reuse-1');
  expect(reused).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  const events = (await audit.once((e) => e.event === 'refresh_token.reused')).filter((e) => e.requestId === 'reuse-1');
  expect(events).toEqual([
    auditLine('info', {
      event: 'grant.revoked',
      actor: 'client:webapp',
      target: `grant:${grantId}`,
      outcome: 'success',
      requestId: 'reuse-1',
      reason: 'refresh_token_reuse',
    }),
    auditLine('warn', { event: 'refresh_token.reused', actor: 'client:webapp', target: `grant:${grantId}`, outcome: 'refused', requestId: 'reuse-1', sub }),
  ]);
});

test('token.revoked: RFC 7009 of a JWT access token names the client and the jti; of a refresh token, its grant, which is grant.revoked', async () => {
  const { tokens, grantId } = await signIn();
  expect(await post('/token/revocation', { token: tokens.access_token, token_type_hint: 'access_token' }, SECRET, 'webapp', 'revoke-at')).toEqual({
    status: 200,
    body: {},
  });
  const { jti } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as { jti: string };
  let events = (await audit.once((e) => e.requestId === 'revoke-at')).filter((e) => e.requestId === 'revoke-at');
  expect(events).toEqual([
    auditLine('info', {
      event: 'token.revoked',
      actor: 'client:webapp',
      target: `token:${jti}`,
      outcome: 'success',
      requestId: 'revoke-at',
      kind: 'AccessToken',
      jti,
      tokens: 1,
    }),
  ]);

  expect(await post('/token/revocation', { token: tokens.refresh_token!, token_type_hint: 'refresh_token' }, SECRET, 'webapp', 'revoke-rt')).toEqual({
    status: 200,
    body: {},
  });
  events = (await audit.once((e) => e.requestId === 'revoke-rt' && e.event === 'token.revoked')).filter((e) => e.requestId === 'revoke-rt');
  expect(events).toEqual([
    auditLine('info', {
      event: 'grant.revoked',
      actor: 'client:webapp',
      target: `grant:${grantId}`,
      outcome: 'success',
      requestId: 'revoke-rt',
      reason: 'revocation',
    }),
    auditLine('info', {
      event: 'token.revoked',
      actor: 'client:webapp',
      target: `grant:${grantId}`,
      outcome: 'success',
      requestId: 'revoke-rt',
      kind: 'RefreshToken',
    }),
  ]);
});

test('grant.revoked with reason code_reuse: a code redeemed a second time ends its grant', async () => {
  const flow = await authorize({
    issuer: tessera.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid',
    username: 'alice',
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  const code = flow.callback.searchParams.get('code')!;
  secrets.push(code, flow.codeVerifier);
  const redeem = () =>
    post('/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: flow.codeVerifier }, SECRET, 'webapp', 'code-again');
  const first = await redeem();
  expect(first.status).toBe(200);
  secrets.push(first.body.access_token, first.body.id_token);
  expect(await redeem()).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  const events = await audit.once((e) => e.requestId === 'code-again' && e.event === 'grant.revoked');
  const grantId = String(events.filter((e) => e.event === 'consent.given').at(-1)!.grantId);
  expect(events.filter((e) => e.requestId === 'code-again')).toEqual([
    auditLine('info', {
      event: 'grant.revoked',
      actor: 'client:webapp',
      target: `grant:${grantId}`,
      outcome: 'success',
      requestId: 'code-again',
      reason: 'code_reuse',
    }),
  ]);
});

test('client.auth_failed: a wrong secret or an unknown client at any endpoint, naming the client it claimed and the endpoint, never the secret', async () => {
  const invalid = { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
  expect(await post('/token', { grant_type: 'client_credentials' }, WRONG_SECRET, 'webapp', 'auth-1')).toEqual(invalid);
  expect(await post('/token/introspection', { token: 'x' }, WRONG_SECRET, 'nobody', 'auth-2')).toEqual(invalid);
  expect(await post('/token/revocation', { token: 'x' }, WRONG_SECRET, 'webapp', 'auth-3')).toEqual(invalid);
  const events = (await audit.once((e) => e.requestId === 'auth-3')).filter((e) => String(e.requestId).startsWith('auth-'));
  expect(events).toEqual([
    auditLine('warn', {
      event: 'client.auth_failed',
      actor: 'client:webapp',
      target: 'endpoint:token',
      outcome: 'failure',
      requestId: 'auth-1',
      endpoint: 'token',
      reason: 'invalid secret provided',
    }),
    auditLine('warn', {
      event: 'client.auth_failed',
      actor: 'client:nobody',
      target: 'endpoint:introspection',
      outcome: 'failure',
      requestId: 'auth-2',
      endpoint: 'introspection',
      reason: 'client not found',
    }),
    auditLine('warn', {
      event: 'client.auth_failed',
      actor: 'client:webapp',
      target: 'endpoint:revocation',
      outcome: 'failure',
      requestId: 'auth-3',
      endpoint: 'revocation',
      reason: 'invalid secret provided',
    }),
  ]);
});
