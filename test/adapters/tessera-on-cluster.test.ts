import * as client from 'openid-client';

import { authorize } from '../support/login-flow.ts';
import { startRedisCluster } from '../support/redis-cluster.ts';
import type { RedisCluster } from '../support/redis-cluster.ts';
import { readyOnRedis, startTessera } from '../support/tessera.ts';
import { withoutAudit } from '../support/audit-lines.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);

afterAll(async () => {
  await cluster.stop();
});

test('Tessera on a 3-master Redis Cluster: users, login, code, refresh rotation and replay detection', async () => {
  const nodes = cluster.ports.map((port) => `127.0.0.1:${port}`).join(',');
  const tessera = await startTessera({
    redis: false,
    env: { REDIS_CLUSTER_NODES: nodes, REDIS_KEY_PREFIX: 'c:' },
    configFile: { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }] },
  });
  try {
    expect(await (await fetch(`${tessera.url}/readyz`)).json()).toEqual(readyOnRedis());
    const { spawnSync } = await import('node:child_process');
    const add = spawnSync(process.execPath, ['bin/tessera.js', 'users', 'add', 'alice'], {
      input: 'correct horse battery staple\n',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', REDIS_CLUSTER_NODES: nodes, REDIS_KEY_PREFIX: 'c:' },
    });
    expect(withoutAudit(add.stderr)).toBe('');
    const config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
      execute: [client.allowInsecureRequests],
    });
    const flow = await authorize({
      issuer: tessera.url,
      config,
      redirectUri: REDIRECT,
      scope: 'openid offline_access',
      username: 'alice',
      password: 'correct horse battery staple',
      extra: { prompt: 'consent' },
    });
    const tokens = await client.authorizationCodeGrant(config, flow.callback, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The replay revoked the grant family; what is left has a TTL, but accounts.
    const keys = await cluster.keys('c:*');
    expect(keys.some((k) => k.startsWith('c:{g:'))).toBe(false);
    expect(keys.some((k) => k.startsWith('c:{Session:'))).toBe(true);
    for (const key of keys.filter((k) => !k.startsWith('c:{accounts}'))) expect(await cluster.client.pttl(key)).toBeGreaterThan(0);
  } finally {
    await tessera.stop();
  }
});
