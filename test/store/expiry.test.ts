import { Redis } from 'ioredis';
import * as client from 'openid-client';

import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
/**
 * Seconds every record of a flow lives: longer than one flow takes even on a busy machine (an
 * interaction or code that expired mid-flow would fail it), short enough to wait out.
 */
const TTL = '10';

test('after a burst of short-lived grants has expired, the keys under the prefix are back to their baseline', async () => {
  const prefix = `expiry-${process.pid}:`;
  const tessera = await startTessera({
    configFile: { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }] },
    env: {
      REDIS_KEY_PREFIX: prefix,
      AUTHORIZATION_CODE_TTL: TTL,
      SESSION_TTL: TTL,
      GRANT_TTL: TTL,
      INTERACTION_TTL: TTL,
      REFRESH_TOKEN_TTL: TTL,
      ACCESS_TOKEN_TTL: TTL,
      ID_TOKEN_TTL: TTL,
    },
  });
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    addUser(tessera.redisEnv!, 'alice', 'correct horse battery staple');
    const count = async () => (await redis.keys(`${prefix}*`)).filter((key) => !key.includes('{accounts}') && !key.includes('throttle:'));
    const baseline = await count();
    const config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
      execute: [client.allowInsecureRequests],
    });
    // Keys and their TTLs are read after every flow: on a slow machine the first flow's keys
    // may already have expired when the last flow ends. pttl -1 means a key without expiry.
    const seen = new Map<string, number>();
    for (let i = 0; i < 8; i++) {
      const flow = await authorize({
        issuer: tessera.url,
        config,
        redirectUri: REDIRECT,
        scope: 'openid offline_access api:read',
        username: 'alice',
        password: 'correct horse battery staple',
        extra: { prompt: 'consent' },
      });
      const tokens = await client.authorizationCodeGrant(config, flow.callback, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      await client.refreshTokenGrant(config, tokens.refresh_token!);
      for (const key of await count()) {
        if (baseline.includes(key)) continue;
        const ttl = await redis.pttl(key);
        if (ttl !== -2) seen.set(key, Math.min(ttl, seen.get(key) ?? ttl));
      }
    }
    expect(seen.size).toBeGreaterThan(8 * 4);
    expect([...seen.keys()].some((key) => key.endsWith(':index'))).toBe(true);
    expect([...seen].filter(([, ttl]) => ttl === -1)).toEqual([]);
    // Every TTL above is at most TTL s: some seconds after the burst all of it must be gone. The
    // bound only limits how long a broken expiry is waited for; a working one ends the wait.
    const deadline = Date.now() + Number(TTL) * 1000 + 30_000;
    let left = await count();
    while (left.length !== baseline.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = await count();
    }
    expect(left).toEqual(baseline);
  } finally {
    redis.disconnect();
    await tessera.stop();
  }
});
