import { Redis } from 'ioredis';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

import { createMemoryReplayStore, createVerifier, TokenRejectedError } from '../../src/resource-server/index.ts';
import type { DpopReplayStore } from '../../src/resource-server/index.ts';
import { makeProof } from './support/dpop-proofs.ts';
import { startExpressApp } from './support/protected-apps.ts';
import type { ProtectedApp } from './support/protected-apps.ts';
import { makeKey, startTestIssuer } from './support/test-issuer.ts';

test('the memory store: a key once, bounded, never forgetting a fresh proof to make room', () => {
  let now = 1000;
  const store = createMemoryReplayStore({ maxEntries: 2, now: () => now });
  expect([store.unique('a', 1060), store.unique('a', 1060), store.unique('b', 1030)]).toEqual([true, false, true]);
  expect(() => store.unique('c', 1060)).toThrow(TokenRejectedError);
  now = 1031; // b has expired: it makes room, a stays remembered
  expect([store.unique('c', 1090), store.unique('a', 1060)]).toEqual([true, false]);
});

test('replicas sharing a Redis replay store refuse a proof replayed at the other; with memory stores they cannot', async () => {
  const key = await makeKey('ES256');
  const issuer = await startTestIssuer([key]);
  const redis = new Redis(process.env.REDIS_URL!);
  const shared: DpopReplayStore = {
    unique: async (id, expiresAt) => (await redis.set(`dpop-test:${id}`, '1', 'EXAT', expiresAt, 'NX')) === 'OK',
  };
  const origin = 'https://api.example.com';
  const verifier = createVerifier({ authority: issuer.url });
  const apps = await Promise.all([
    startExpressApp({ verifier, dpop: { origin, replayStore: shared } }),
    startExpressApp({ verifier, dpop: { origin, replayStore: shared } }),
    startExpressApp({ verifier, dpop: { origin } }),
    startExpressApp({ verifier, dpop: { origin } }),
  ]);
  try {
    const clientKeys = await generateKeyPair('ES256');
    const token = await issuer.sign(key, { cnf: { jkt: await calculateJwkThumbprint(await exportJWK(clientKeys.publicKey)) } });
    const statuses = async (pair: readonly ProtectedApp[]): Promise<number[]> => {
      const headers = { authorization: `DPoP ${token}`, dpop: await makeProof(clientKeys, `${origin}/orders`, token) };
      return Promise.all(pair.map(async (app) => (await fetch(`${app.url}/orders`, { headers })).status));
    };
    const [first, second] = await statuses(apps.slice(0, 2));
    expect([first, second].sort()).toEqual([200, 401]);
    expect(await statuses(apps.slice(2))).toEqual([200, 200]);
  } finally {
    await Promise.all(apps.map((app) => app.close()));
    redis.disconnect();
    await issuer.close();
  }
});
