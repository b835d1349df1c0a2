import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose';
import * as client from 'openid-client';

import { createVerifier } from '../../src/resource-server/index.ts';
import type { KitEvent } from '../../src/resource-server/index.ts';
import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { makeProof } from './support/dpop-proofs.ts';
import { FRAMEWORKS } from './support/protected-apps.ts';
import type { ProtectedApp } from './support/protected-apps.ts';
import { PASSWORD, REDIRECT, SERVICE_SECRET, serviceClient, WEB_SECRET, webappClient } from './support/tessera-clients.ts';

// DPoP end to end: openid-client gets DPoP-bound tokens (cnf.jkt) from a running Tessera and
// calls resource servers built with the kit, in Koa and in Express.

const DPOP_SECRET = 'dpop-service-secret-0123456789abcdefghij';
const CONFIG = {
  clients: [
    serviceClient('orders-service', SERVICE_SECRET),
    serviceClient('dpop-service', DPOP_SECRET, { dpop_bound_access_tokens: true }),
    webappClient({ dpop_bound_access_tokens: true }),
  ],
};
const REALM = 'realm="resource_server"';
const ALGS = 'algs="ES256 EdDSA Ed25519"';
const JSON_TYPE = 'application/json; charset=utf-8';

interface Answer {
  status: number;
  challenge: string | null;
  body: unknown;
}

let tessera: TesseraProcess;
let dpopService: client.Configuration;
let ordersService: client.Configuration;

const discover = (id: string, secret: string): Promise<client.Configuration> =>
  client.discovery(new URL(tessera.url), id, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });

beforeAll(async () => {
  tessera = await startTessera({ configFile: CONFIG });
  [dpopService, ordersService] = await Promise.all([discover('dpop-service', DPOP_SECRET), discover('orders-service', SERVICE_SECRET)]);
});

afterAll(() => tessera?.stop());

async function call(url: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) expect(response.headers.get('content-type')).toBe(text === '' ? null : JSON_TYPE);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: text === '' ? '' : JSON.parse(text) };
}

/** A refusal at the DPoP challenge, which carries the error because the request used the DPoP scheme. */
function dpopRefusal(error: string, description: string): Answer {
  return {
    status: 401,
    challenge: `Bearer ${REALM}, DPoP ${REALM}, error="${error}", error_description="${description}", ${ALGS}`,
    body: { error, error_description: description },
  };
}

const INVALID_PROOF = dpopRefusal('invalid_dpop_proof', 'the DPoP proof is invalid');

test('Tessera binds the token of a client that sends a proof (cnf.jkt), and refuses one that must but does not', async () => {
  const keys = await client.randomDPoPKeyPair();
  const tokens = await client.clientCredentialsGrant(dpopService, { scope: 'api:read' }, { DPoP: client.getDPoPHandle(dpopService, keys) });
  expect(tokens.token_type).toBe('dpop');
  expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await calculateJwkThumbprint(await exportJWK(keys.publicKey)) });

  // dpop_bound_access_tokens: true (RFC 9449 §5.2) is the engine's own client metadata.
  const refused = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read' }),
    headers: { authorization: `Basic ${Buffer.from(`dpop-service:${DPOP_SECRET}`).toString('base64')}` },
  });
  expect([refused.status, await refused.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'grant request is invalid' }]);
  // A client without it may still ask for a plain bearer token.
  expect((await client.clientCredentialsGrant(ordersService, { scope: 'api:read' })).token_type).toBe('bearer');
});

describe.each(FRAMEWORKS)('%s resource server with the kit', (_name, start) => {
  let app: ProtectedApp;
  let nonceApp: ProtectedApp;
  let requiredApp: ProtectedApp;
  let events: KitEvent[];
  let keys: CryptoKeyPair;
  let token: string;
  let url: string;

  beforeAll(async () => {
    events = [];
    const verifier = createVerifier({ authority: tessera.url });
    const logger = (event: KitEvent): void => {
      events.push(event);
    };
    [app, nonceApp, requiredApp] = await Promise.all([
      start({ verifier, scope: 'api:read', logger }),
      start({ verifier, logger, dpop: { nonceSecret: 'a nonce secret of at least thirty-two bytes' } }),
      start({ verifier, logger, dpop: { required: true } }),
    ]);
    keys = await client.randomDPoPKeyPair();
    token = (await client.clientCredentialsGrant(dpopService, { scope: 'api:read' }, { DPoP: client.getDPoPHandle(dpopService, keys) })).access_token;
    url = `${app.url}/orders`;
  });

  afterAll(() => Promise.all([app?.close(), nonceApp?.close(), requiredApp?.close()]));

  beforeEach(() => {
    events.length = 0;
  });

  const reasons = (): string[] => events.flatMap((e) => (e.event === 'token.rejected' ? [e.reason] : []));
  const withProof = async (claims: Record<string, unknown> = {}, proofKeys = keys): Promise<Record<string, string>> => ({
    authorization: `DPoP ${token}`,
    dpop: await makeProof(proofKeys, url, token, claims),
  });

  test('openid-client with its DPoP handle is let through, with the claims', async () => {
    const response = await client.fetchProtectedResource(dpopService, token, new URL(url), 'GET', undefined, undefined, {
      DPoP: client.getDPoPHandle(dpopService, keys),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth: expect.objectContaining({ client_id: 'dpop-service', cnf: { jkt: expect.any(String) } }) });
    expect((await call(url, await withProof())).status).toBe(200);
    expect(reasons()).toEqual([]);
  });

  test('the bound token sent as Bearer is refused at the Bearer challenge, and so is a proof alongside Bearer', async () => {
    const description = 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof';
    const asBearer: Answer = {
      status: 401,
      challenge: `Bearer ${REALM}, error="invalid_token", error_description="${description}", DPoP ${REALM}, ${ALGS}`,
      body: { error: 'invalid_token', error_description: description },
    };
    expect(await call(url, { authorization: `Bearer ${token}` })).toEqual(asBearer);
    expect(await call(url, { authorization: `Bearer ${token}`, dpop: await makeProof(keys, url, token) })).toEqual(asBearer);
    expect(reasons()).toEqual(['dpop_bound_token_as_bearer', 'dpop_bound_token_as_bearer']);
  });

  test('wrong htm, wrong htu, wrong ath, another key, missing proof: refused with exact challenges', async () => {
    const otherKeys = await client.randomDPoPKeyPair();
    expect(await call(url, await withProof({ htm: 'POST' }))).toEqual(INVALID_PROOF);
    expect(await call(url, await withProof({ htu: `${app.url}/payments` }))).toEqual(INVALID_PROOF);
    expect(await call(url, await withProof({ htu: `http://localhost:1/orders` }))).toEqual(INVALID_PROOF);
    expect(await call(url, await withProof({ ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo' }))).toEqual(INVALID_PROOF);
    expect(await call(url, await withProof({}, otherKeys))).toEqual(dpopRefusal('invalid_token', 'the access token is not bound to the key of the DPoP proof'));
    expect(await call(url, { authorization: `DPoP ${token}` })).toEqual(dpopRefusal('invalid_dpop_proof', 'the request carries no DPoP proof'));
    expect(reasons()).toEqual(['dpop_htm_mismatch', 'dpop_htu_mismatch', 'dpop_htu_mismatch', 'dpop_ath_mismatch', 'dpop_key_mismatch', 'dpop_proof_missing']);
  });

  test('htu is compared without query and fragment, after normalisation (RFC 9449 §4.3)', async () => {
    const upper = url.replace('http://127.0.0.1', 'HTTP://127.0.0.1');
    expect((await call(`${url}?page=2`, await withProof({ htu: `${upper}?other=1#top` }))).status).toBe(200);
  });

  test('a stale or future iat is refused; within the clock tolerance it is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const window = dpopRefusal('invalid_dpop_proof', 'the DPoP proof is too old or too far in the future');
    expect(await call(url, await withProof({ iat: now - 75 }))).toEqual(window);
    expect(await call(url, await withProof({ iat: now + 15 }))).toEqual(window);
    expect((await call(url, await withProof({ iat: now - 65 }))).status).toBe(200);
    expect((await call(url, await withProof({ iat: now + 5 }))).status).toBe(200);
    expect(reasons()).toEqual(['dpop_iat_window', 'dpop_iat_window']);
  });

  test('a burst of the same proof in parallel: exactly one is accepted', async () => {
    const headers = await withProof();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(url, headers)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200)).toEqual(Array.from({ length: 19 }, () => INVALID_PROOF));
    expect(reasons()).toEqual(Array.from({ length: 19 }, () => 'dpop_replayed'));
  });

  test('a token that is not bound, sent with the DPoP scheme, is refused', async () => {
    const plain = (await client.clientCredentialsGrant(ordersService, { scope: 'api:read' })).access_token;
    const answer = await call(url, { authorization: `DPoP ${plain}`, dpop: await makeProof(keys, url, plain) });
    expect(answer).toEqual(dpopRefusal('invalid_token', 'the access token is not DPoP-bound; send it with the Bearer scheme'));
    expect((await call(url, { authorization: `Bearer ${plain}` })).status).toBe(200);
  });

  test('not a JWT, two proofs, typ JWT, a symmetric alg, a private jwk, a bad signature: refused alike', async () => {
    const base = await withProof();
    expect(await call(url, { ...base, dpop: 'not-a-jwt' })).toEqual(INVALID_PROOF);
    expect(await call(url, { ...base, dpop: `${base.dpop}, ${base.dpop}` })).toEqual(INVALID_PROOF);
    expect(await call(url, { ...base, dpop: await makeProof(keys, url, token, {}, { typ: 'JWT' }) })).toEqual(INVALID_PROOF);
    const [header, payload, signature] = base.dpop!.split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    const reheader = (changes: Record<string, unknown>): string => Buffer.from(JSON.stringify({ ...decoded, ...changes })).toString('base64url');
    expect(await call(url, { ...base, dpop: `${reheader({ alg: 'HS256' })}.${payload}.${signature}` })).toEqual(INVALID_PROOF);
    const withPrivate = { ...(decoded.jwk as object), d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' };
    expect(await call(url, { ...base, dpop: `${reheader({ jwk: withPrivate })}.${payload}.${signature}` })).toEqual(INVALID_PROOF);
    expect(await call(url, { ...base, dpop: `${header}.${payload}.${signature.slice(0, -4)}AAAA` })).toEqual(INVALID_PROOF);
    expect(reasons()).toEqual([
      'dpop_proof_malformed',
      'dpop_proof_multiple',
      'dpop_proof_malformed',
      'dpop_proof_algorithm',
      'dpop_proof_key',
      'dpop_proof_signature',
    ]);
    expect((await call(url, base)).status).toBe(200);
  });

  test('without a token: both challenges, no error; DPoP required: the DPoP challenge alone', async () => {
    expect(await call(url, {})).toEqual({ status: 401, challenge: `Bearer ${REALM}, DPoP ${REALM}, ${ALGS}`, body: '' });
    expect(await call(`${requiredApp.url}/orders`, {})).toEqual({ status: 401, challenge: `DPoP ${REALM}, ${ALGS}`, body: '' });
    const plain = (await client.clientCredentialsGrant(ordersService, { scope: 'api:read' })).access_token;
    const description = 'this resource accepts only DPoP-bound access tokens sent with the DPoP scheme';
    expect(await call(`${requiredApp.url}/orders`, { authorization: `Bearer ${plain}` })).toEqual({
      status: 401,
      challenge: `DPoP ${REALM}, error="invalid_token", error_description="${description}", ${ALGS}`,
      body: { error: 'invalid_token', error_description: description },
    });
    const requiredUrl = `${requiredApp.url}/orders`;
    expect((await call(requiredUrl, { authorization: `DPoP ${token}`, dpop: await makeProof(keys, requiredUrl, token) })).status).toBe(200);
  });

  test('nonces: openid-client retries after use_dpop_nonce by itself; a wrong nonce is refused with a new one', async () => {
    const nonceUrl = `${nonceApp.url}/orders`;
    const first = await fetch(nonceUrl, { headers: { authorization: `DPoP ${token}`, dpop: await makeProof(keys, nonceUrl, token) } });
    const nonce = first.headers.get('dpop-nonce');
    const description = 'the DPoP proof must carry the nonce of the DPoP-Nonce header';
    expect([first.status, first.headers.get('www-authenticate'), await first.json()]).toEqual([
      401,
      `Bearer ${REALM}, DPoP ${REALM}, error="use_dpop_nonce", error_description="${description}", ${ALGS}`,
      { error: 'use_dpop_nonce', error_description: description },
    ]);
    expect(nonce).toMatch(/^[\w-]{43}$/);

    const wrong = await fetch(nonceUrl, { headers: { authorization: `DPoP ${token}`, dpop: await makeProof(keys, nonceUrl, token, { nonce: 'made-up' }) } });
    expect([wrong.status, wrong.headers.get('dpop-nonce')]).toEqual([401, nonce]);
    expect(reasons()).toEqual(['dpop_nonce_missing', 'dpop_nonce_invalid']);

    events.length = 0;
    const response = await client.fetchProtectedResource(dpopService, token, new URL(nonceUrl), 'GET', undefined, undefined, {
      DPoP: client.getDPoPHandle(dpopService, keys),
    });
    expect([response.status, response.headers.get('dpop-nonce')]).toEqual([200, nonce]);
    expect(reasons()).toEqual(['dpop_nonce_missing']);
  });
});

test('code flow: openid-client redeems the code with a proof, and the bound token passes the kit only with DPoP', async () => {
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  const webapp = await discover('webapp', WEB_SECRET);
  const keys = await client.randomDPoPKeyPair();
  const DPoP = client.getDPoPHandle(webapp, keys);
  const flow = await authorize({ issuer: tessera.url, config: webapp, redirectUri: REDIRECT, scope: 'openid api:read', username: 'alice', password: PASSWORD });
  const tokens = await client.authorizationCodeGrant(
    webapp,
    flow.callback,
    { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce },
    undefined,
    { DPoP },
  );
  expect(tokens.token_type).toBe('dpop');
  const app = await FRAMEWORKS[0][1]({ verifier: createVerifier({ authority: tessera.url }), scope: 'api:read' });
  try {
    const response = await client.fetchProtectedResource(webapp, tokens.access_token, new URL(`${app.url}/orders`), 'GET', undefined, undefined, { DPoP });
    expect([response.status, ((await response.json()) as { auth: { sub: string } }).auth.sub]).toEqual([200, expect.any(String)]);
    expect((await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  } finally {
    await app.close();
  }
});
