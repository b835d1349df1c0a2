import buildGetJwks from 'get-jwks';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// Libraries given only an issuer look for its keys at /.well-known/jwks.json (get-jwks by
// default): Tessera serves its JWKS there too, the same document with the same caching.

const SECRET = 'well-known-secret-0123456789abcdefghijkl';
const RS256_API = 'https://rs256.example.com';
let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
      resourceServers: [{ indicator: RS256_API, audience: 'rs256-api', scopes: ['rs:read'], signingAlg: 'RS256' }],
    },
  });
});

afterAll(async () => {
  await tessera.stop();
});

async function token(params: Record<string, string>): Promise<string> {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test('/.well-known/jwks.json answers what /jwks answers: body, Cache-Control, ETag and 304', async () => {
  const [jwks, wellKnown] = await Promise.all([fetch(`${tessera.url}/jwks`), fetch(`${tessera.url}/.well-known/jwks.json`)]);
  const headers = (response: Response) => ['content-type', 'cache-control', 'etag'].map((name) => response.headers.get(name));
  expect(wellKnown.status).toBe(200);
  expect(headers(wellKnown)).toEqual(headers(jwks));
  expect(headers(wellKnown)[0]).toBe('application/jwk-set+json; charset=utf-8');
  expect(await wellKnown.text()).toBe(await jwks.text());
  const again = await fetch(`${tessera.url}/.well-known/jwks.json`, { headers: { 'if-none-match': jwks.headers.get('etag')! } });
  expect(again.status).toBe(304);
  expect((await fetch(`${tessera.url}/.well-known/jwks.json`, { method: 'HEAD' })).status).toBe(200);
});

test.each([
  ['ES256', {}],
  ['RS256', { resource: RS256_API, scope: 'rs:read' }],
] as const)("get-jwks with its defaults finds the key of a %s access token from the token's iss alone", async (alg, params) => {
  const jwt = await token(params);
  const { kid } = decodeProtectedHeader(jwt);
  const { iss } = decodeJwt(jwt);
  const getJwks = buildGetJwks();
  const pem = await getJwks.getPublicKey({ domain: iss!, alg, kid: kid! });
  const { protectedHeader } = await jwtVerify(jwt, await importSPKI(pem, alg), { issuer: tessera.url, typ: 'at+jwt' });
  expect(protectedHeader.alg).toBe(alg);
});
