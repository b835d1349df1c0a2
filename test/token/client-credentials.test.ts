import * as client from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'orders-service-secret-0123456789abcdef';
const CONFIG = {
  clients: [
    {
      client_id: 'orders-service',
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api:read api:write payments',
    },
  ],
  resourceServers: [{ indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'], accessTokenTTL: 300, signingAlg: 'RS256' }],
};

let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({ configFile: CONFIG });
  config = await client.discovery(new URL(tessera.url), 'orders-service', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
});

afterAll(async () => {
  await tessera.stop();
});

function verifier() {
  return createRemoteJWKSet(new URL(`${tessera.url}/jwks`));
}

test("discovery names the configured issuer exactly and Tessera's own endpoints", async () => {
  const response = await fetch(`${tessera.url}/.well-known/openid-configuration`);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.issuer).toBe(tessera.url);
  expect(body.jwks_uri).toBe(`${tessera.url}/jwks`);
  expect(body.token_endpoint).toBe(`${tessera.url}/token`);
  expect(body.response_types_supported).toEqual(['code']);
  expect(body.code_challenge_methods_supported).toEqual(['S256']);
  expect(body.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials', 'authorization_code', 'refresh_token']));
});

test('a service gets an RFC 9068 access token for the default audience that another instance verifies offline', async () => {
  const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' });
  expect(tokens.token_type).toBe('bearer');
  expect(tokens.scope).toBe('api:read');
  expect(tokens.expires_in).toBe(3600);

  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, verifier(), {
    issuer: tessera.url,
    audience: 'resource_server',
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });
  expect(protectedHeader.typ).toBe('at+jwt');
  expect(protectedHeader.alg).toBe('ES256');
  expect(payload).toEqual({
    iss: tessera.url,
    aud: 'resource_server',
    sub: 'orders-service',
    client_id: 'orders-service',
    scope: 'api:read',
    jti: expect.stringMatching(/^[\w-]{20,}$/),
    iat: expect.any(Number),
    exp: (payload.iat ?? 0) + 3600,
  });
  expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
});

test('a named resource yields its own audience, scopes, lifetime and algorithm', async () => {
  const tokens = await client.clientCredentialsGrant(config, { scope: 'payments api:read', resource: 'https://payments.example.com' });
  expect(tokens.scope).toBe('payments');
  expect(decodeProtectedHeader(tokens.access_token).alg).toBe('RS256');
  const { payload } = await jwtVerify(tokens.access_token, verifier(), { issuer: tessera.url, audience: 'payments', typ: 'at+jwt' });
  expect(payload.scope).toBe('payments');
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
});

test('a token for one audience is refused by a resource server of another', async () => {
  const tokens = await client.clientCredentialsGrant(config, { scope: 'payments', resource: 'https://payments.example.com' });
  await expect(jwtVerify(tokens.access_token, verifier(), { issuer: tessera.url, audience: 'resource_server' })).rejects.toMatchObject({
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    claim: 'aud',
  });
});

test('a tampered token fails signature verification', async () => {
  const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' });
  const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'api:read api:write' })).toString('base64url');
  await expect(jwtVerify(`${header}.${forged}.${signature}`, verifier(), { issuer: tessera.url, audience: 'resource_server' })).rejects.toMatchObject({
    code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
});

test('an unknown resource is invalid_target', async () => {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`orders-service:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'https://unknown.example.com' }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: 'invalid_target', error_description: 'resource indicator is missing, or unknown' });
});

test('a wrong client secret is 401 invalid_client', async () => {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('orders-service:wrong').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
});

test('the JWKS publishes public members only, with caching headers', async () => {
  const response = await fetch(`${tessera.url}/jwks`);
  expect(response.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
  expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  const etag = response.headers.get('etag');
  expect(etag).toMatch(/^"[\w-]+"$/);
  const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
  expect(keys.map((k) => k.kty).sort()).toEqual(['EC', 'RSA']);
  for (const key of keys) {
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) expect(key).not.toHaveProperty(member);
    expect(key.use).toBe('sig');
    expect(key.kid).toEqual(expect.any(String));
  }
  const again = await fetch(`${tessera.url}/jwks`, { headers: { 'if-none-match': etag ?? '' } });
  expect(again.status).toBe(304);
});
