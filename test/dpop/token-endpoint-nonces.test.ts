import { generateKeyPair } from 'jose';
import * as client from 'openid-client';

import { makeProof } from '../resource-server/support/dpop-proofs.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// DPOP_NONCE_SECRET: the token endpoint requires a nonce in every DPoP proof, and every
// instance that shares the secret accepts the nonces of the others. Instances on one Redis
// also share the engine's memory of proofs seen, so a proof replayed at another is refused.

const SECRET = 'dpop-service-secret-0123456789abcdefghij';
const CONFIG = { clients: [{ client_id: 'dpop-service', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }] };
const NONCE_SECRET = 'a shared DPoP nonce secret, 32+ characters';

let one: TesseraProcess;
let two: TesseraProcess;

beforeAll(async () => {
  const start = (): Promise<TesseraProcess> => startTessera({ configFile: CONFIG, env: { DPOP_NONCE_SECRET: NONCE_SECRET, REDIS_KEY_PREFIX: 'dpop-fleet:' } });
  [one, two] = await Promise.all([start(), start()]);
});

afterAll(() => Promise.all([one?.stop(), two?.stop()]));

async function tokenRequest(tessera: TesseraProcess, keys: CryptoKeyPair, nonce?: string, claims: Record<string, unknown> = {}): Promise<Response> {
  const url = `${tessera.url}/token`;
  const proof = await makeProof(keys, url, '', { htm: 'POST', ath: undefined, nonce, ...claims });
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read' }),
    headers: { authorization: `Basic ${Buffer.from(`dpop-service:${SECRET}`).toString('base64')}`, dpop: proof },
  });
}

test('a proof without a nonce gets use_dpop_nonce and a nonce; that nonce works at the other instance', async () => {
  const keys = await generateKeyPair('ES256');
  const first = await tokenRequest(one, keys);
  const nonce = first.headers.get('dpop-nonce');
  expect([first.status, await first.json()]).toEqual([400, { error: 'use_dpop_nonce', error_description: 'nonce is required in the DPoP proof' }]);
  expect(nonce).toMatch(/^[\w-]{20,}$/);

  const second = await tokenRequest(two, keys, nonce!);
  expect([second.status, ((await second.json()) as { token_type: string }).token_type]).toEqual([200, 'DPoP']);
  const madeUp = await tokenRequest(two, keys, 'made-up-nonce');
  expect([madeUp.status, await madeUp.json()]).toEqual([400, { error: 'use_dpop_nonce', error_description: 'invalid nonce in DPoP proof' }]);
});

test('a proof used at one instance is refused at the other (the engine remembers it in Redis)', async () => {
  const keys = await generateKeyPair('ES256');
  const nonce = (await tokenRequest(one, keys)).headers.get('dpop-nonce')!;
  // The same proof, to each instance's own URL: only the jti is shared.
  const jti = 'replayed-proof-0123456789';
  expect((await tokenRequest(one, keys, nonce, { jti })).status).toBe(200);
  const replayed = await tokenRequest(two, keys, nonce, { jti });
  expect([replayed.status, await replayed.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'grant request is invalid' }]);
  expect((await tokenRequest(two, keys, nonce, { jti: 'another-proof-0123456789' })).status).toBe(200);
});

test('openid-client gets a DPoP-bound token through the nonce challenge by itself', async () => {
  const config = await client.discovery(new URL(one.url), 'dpop-service', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' }, { DPoP: client.getDPoPHandle(config, await client.randomDPoPKeyPair()) });
  expect(tokens.token_type).toBe('dpop');
});
