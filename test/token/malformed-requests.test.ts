import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

let tessera: TesseraProcess;
const BASIC = `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

beforeAll(async () => {
  tessera = await startTessera({ env: { ACCESS_TOKEN_TTL: '1' } });
});

afterAll(async () => {
  await tessera.stop();
});

async function token(init: { headers?: Record<string, string>; body?: string }) {
  const response = await fetch(`${tessera.url}/token`, { method: 'POST', ...init });
  return { status: response.status, body: (await response.json()) as unknown };
}

test('missing grant_type', async () => {
  expect(await token({ headers: { authorization: BASIC, 'content-type': FORM }, body: 'scope=api:read' })).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: "missing required parameter 'grant_type'" },
  });
});

test('unknown grant type', async () => {
  expect(await token({ headers: { authorization: BASIC, 'content-type': FORM }, body: 'grant_type=password' })).toEqual({
    status: 400,
    body: { error: 'unsupported_grant_type', error_description: 'unsupported grant_type requested' },
  });
});

test('client authentication header that is not valid Basic', async () => {
  expect(await token({ headers: { authorization: 'Basic !!!not-base64', 'content-type': FORM }, body: 'grant_type=client_credentials' })).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: 'invalid authorization header value format' },
  });
});

test('no client authentication at all', async () => {
  expect(await token({ headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' })).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: 'no client authentication mechanism provided' },
  });
});

test('an oversized body', async () => {
  const body = `grant_type=client_credentials&scope=${'a'.repeat(80 * 1024)}`;
  expect(await token({ headers: { authorization: BASIC, 'content-type': FORM }, body })).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: 'failed to parse the request body' },
  });
});

test('a JSON body instead of a form', async () => {
  expect(await token({ headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' })).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: 'only application/x-www-form-urlencoded content-type bodies are supported on POST /token' },
  });
});

test('an expired access token is rejected by a resource server', async () => {
  const issued = await token({ headers: { authorization: BASIC, 'content-type': FORM }, body: 'grant_type=client_credentials&scope=api:read' });
  const accessToken = (issued.body as { access_token: string }).access_token;
  const jwks = createRemoteJWKSet(new URL(`${tessera.url}/jwks`));
  // Valid at the instant it was issued (a loaded machine may take longer than its 1 s lifetime to get here)...
  const { iat, exp } = decodeJwt(accessToken) as { iat: number; exp: number };
  expect(exp - iat).toBe(1);
  await expect(jwtVerify(accessToken, jwks, { issuer: tessera.url, audience: 'resource_server', currentDate: new Date(iat * 1000) })).resolves.toBeDefined();
  // ...and refused by the clock once its lifetime is over.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1100));
  await expect(jwtVerify(accessToken, jwks, { issuer: tessera.url, audience: 'resource_server' })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
});

test('the access log carries a request id and no credentials', async () => {
  await token({ headers: { authorization: BASIC, 'content-type': FORM, 'x-request-id': 'req-123' }, body: 'grant_type=client_credentials' });
  const isLine = (l: Record<string, unknown>): boolean => l.event === 'http.request' && l.requestId === 'req-123';
  const line = (await tessera.logsOnce(isLine)).find(isLine);
  // The shape of every other log line: level, ISO time, service and msg, beside its own fields.
  expect(line).toEqual({
    level: 'info',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    service: 'tessera',
    event: 'http.request',
    requestId: 'req-123',
    method: 'POST',
    path: '/token',
    status: 200,
    ms: expect.any(Number),
    ip: '127.0.0.1',
    msg: 'request',
  });
  expect(tessera.output()).not.toContain('dev-service-secret');
  expect(tessera.output()).not.toContain(BASIC);
});
