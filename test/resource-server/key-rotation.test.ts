import { setTimeout as sleep } from 'node:timers/promises';

import { createVerifier } from '../../src/resource-server/index.ts';
import type { KitEvent } from '../../src/resource-server/index.ts';
import { startKoaApp } from './support/protected-apps.ts';
import { makeKey, startTestIssuer } from './support/test-issuer.ts';

/**
 * Seconds between JWKS refetches: the steps that must fall within one cool-down (two floods of
 * cheap 401s and one more request) take a fraction of it even on a busy machine; the steps that
 * must come after one wait it out first, which a slow machine only lengthens. Kept below the
 * 4 s after which idle keep-alive connections are closed, so the wait leaves none to fail.
 */
const COOLDOWN = 3;

async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; !check(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
  }
}

async function statuses(url: string, tokens: readonly string[]): Promise<number[]> {
  return Promise.all(tokens.map(async (token) => (await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } })).status));
}

test('a flood of unknown kids costs one JWKS refetch per cool-down; a key published later is used after the cool-down', async () => {
  const [current, stranger, next] = await Promise.all([makeKey('ES256'), makeKey('ES256'), makeKey('RS256')]);
  const issuer = await startTestIssuer([current]);
  const events: KitEvent[] = [];
  const verifier = createVerifier({ authority: issuer.url, cooldown: COOLDOWN, logger: (e) => events.push(e) });
  const app = await startKoaApp({ verifier });
  try {
    await verifier.ready();
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 1 });
    await sleep(COOLDOWN * 1000);

    const forged = await Promise.all(Array.from({ length: 200 }, () => issuer.sign(stranger)));
    expect(await statuses(app.url, forged)).toEqual(forged.map(() => 401));
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 2 });
    expect(await statuses(app.url, forged)).toEqual(forged.map(() => 401));
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 2 });

    issuer.publish([current, next]);
    const fresh = await issuer.sign(next);
    expect(await statuses(app.url, [fresh])).toEqual([401]);
    expect(issuer.fetches.jwks).toBe(2);
    await sleep(COOLDOWN * 1000);
    expect(await statuses(app.url, [fresh, await issuer.sign(current)])).toEqual([200, 200]);
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 3 });
    // This issuer publishes no revocation feed: the kit says so once.
    expect(events.map((e) => e.event)).toEqual(['jwks.fetched', 'revocations.unsupported', 'jwks.fetched', 'jwks.fetched']);
  } finally {
    await Promise.all([app.close(), issuer.close()]);
  }
});

test('a stale key set is refreshed in the background: a key the issuer removed stops being trusted', async () => {
  const [kept, removed] = await Promise.all([makeKey('ES256'), makeKey('EdDSA')]);
  const issuer = await startTestIssuer([kept, removed]);
  const events: KitEvent[] = [];
  const verifier = createVerifier({ authority: issuer.url, cooldown: 0.2, maxAge: 0.5, logger: (e) => events.push(e) });
  try {
    const token = await issuer.sign(removed);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-42' });
    issuer.publish([kept]);
    await sleep(600);
    // Served from the stale set while the refresh runs: no request waits on the issuer.
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-42' });
    // The refresh has replaced the keys once the kit says so (not after a fixed pause).
    await until(() => events.filter((e) => e.event === 'jwks.fetched').length === 2, 'the background refresh has finished');
    expect(issuer.fetches.jwks).toBe(2);
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'unknown_key' });
    await expect(verifier.verify(await issuer.sign(kept))).resolves.toMatchObject({ sub: 'user-42' });
  } finally {
    await issuer.close();
  }
});

test('a failing JWKS endpoint keeps the last good keys; with none yet, jwks_unavailable, retried after the cool-down', async () => {
  const key = await makeKey('PS256');
  const issuer = await startTestIssuer([key]);
  const events: KitEvent[] = [];
  // A cool-down of 2 s: the two calls that must fall within it follow each other at once.
  const verifier = createVerifier({ authority: issuer.url, cooldown: 2, logger: (e) => events.push(e) });
  try {
    issuer.jwksStatus = 500;
    const token = await issuer.sign(key);
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'jwks_unavailable',
      status: 503,
      message: `no keys from ${issuer.url}/jwks yet: ${issuer.url}/jwks answered HTTP 500`,
    });
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'jwks_unavailable' });
    expect(issuer.fetches.jwks).toBe(1);
    expect(events).toEqual([{ event: 'jwks.fetch_failed', uri: `${issuer.url}/jwks`, detail: `${issuer.url}/jwks answered HTTP 500` }]);

    await sleep(2000);
    issuer.jwksStatus = 200;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-42' });
    issuer.jwksStatus = 500;
    await sleep(2000);
    await expect(verifier.verify(await issuer.sign(await makeKey('PS256')))).rejects.toMatchObject({ reason: 'unknown_key' });
    expect(issuer.fetches.jwks).toBe(3);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-42' });
  } finally {
    await issuer.close();
  }
});

test('concurrent first requests share one discovery and one JWKS fetch', async () => {
  const key = await makeKey('ES256');
  const issuer = await startTestIssuer([key]);
  const app = await startKoaApp({ verifier: createVerifier({ authority: issuer.url }) });
  try {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => issuer.sign(key)));
    expect(await statuses(app.url, tokens)).toEqual(tokens.map(() => 200));
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 1 });
  } finally {
    await Promise.all([app.close(), issuer.close()]);
  }
});
