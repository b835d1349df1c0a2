// Redis work per operation, counted rather than guessed: for one authorization-code redemption
// and one refresh, the commands Redis executed (INFO commandstats deltas) and the requests
// Tessera sent (MONITOR: a MULTI…EXEC block counting once, commands run inside Lua not counted),
// which is the most round trips they can take (requests sent in one turn of the event loop share
// a write). Also the MEMORY USAGE of what a login leaves behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { authorizeOverHttp, tokenRequest } from './lib/oidc-flow.ts';
import { activityBetween, redisActivity, requestsAmong } from './lib/redis-counters.ts';
import type { CommandCounts } from './lib/redis-counters.ts';
import { monitorRedis } from './lib/redis-monitor.ts';
import { ROOT, startServer } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SECRET = 'bench-webapp-secret-0123456789abcdefgh';
const BASIC = Buffer.from(`webapp:${SECRET}`).toString('base64');
const REDIRECT = 'http://127.0.0.1:9/cb';
const PREFIX = 'bench:';

/** Runs `operation` and counts what Redis did for it. */
async function measure(url: string, operation: () => Promise<unknown>): Promise<{ commands: CommandCounts; requests: number }> {
  const stats = new Redis(url);
  const monitor = await monitorRedis(url);
  const before = await redisActivity(stats);
  await operation();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { commands } = activityBetween(before, await redisActivity(stats));
  const requests = requestsAmong(monitor.stop(), ['info']);
  stats.disconnect();
  return { commands, requests };
}

const format = (counts: CommandCounts): string =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const certs = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const configFile = join(certs, 'tessera.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }],
    }),
  );
  const port = 21500;
  const issuer = `http://127.0.0.1:${port}`;
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX };
  const tessera = await startServer(
    ['src/main.ts'],
    { ...env, CERTS_DIR: join(certs, 'keys'), CONFIG_FILE: configFile, ISSUER: issuer, HOST: '127.0.0.1' },
    port,
  );
  try {
    const add = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/tessera.js'), 'users', 'add', 'alice', '--email', 'alice@example.com', '--name', 'Alice Liddell'],
      { input: 'correct horse battery staple\n', env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    );
    if (add.status !== 0) throw new Error(add.stderr);
    const flow = {
      issuer,
      clientId: 'webapp',
      redirectUri: REDIRECT,
      scope: 'openid offline_access profile email api:read',
      username: 'alice',
      password: 'correct horse battery staple',
    };
    const { code, verifier } = await authorizeOverHttp(flow);
    let tokens: Record<string, string> = {};
    const redemption = await measure(redis.url, async () => {
      tokens = await tokenRequest(issuer, BASIC, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    });
    const refresh = await measure(redis.url, () => tokenRequest(issuer, BASIC, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }));
    console.table([
      { operation: 'authorization code redemption', 'requests (round trips at most)': redemption.requests, 'commands executed': format(redemption.commands) },
      { operation: 'refresh (rotation)', 'requests (round trips at most)': refresh.requests, 'commands executed': format(refresh.commands) },
    ]);
    const client = new Redis(redis.url);
    const rows = [];
    for (const [record, pattern] of [
      ['Session', `${PREFIX}{Session:*`],
      ['Session uid pointer', `${PREFIX}{uid:*`],
      ['Grant', `${PREFIX}{g:*}:Grant`],
      ['RefreshToken', `${PREFIX}{g:*}:RefreshToken:*`],
      ['grant index', `${PREFIX}{g:*}:index`],
      ['account', `${PREFIX}{accounts}:account:*`],
    ] as const) {
      const keys = (await client.keys(pattern)).filter((k) => !k.endsWith(':consumed'));
      const sizes = await Promise.all(keys.map(async (k) => Number(await client.call('MEMORY', 'USAGE', k))));
      if (sizes.length) rows.push({ record, keys: sizes.length, 'bytes each (MEMORY USAGE)': Math.max(...sizes) });
    }
    client.disconnect();
    console.log(`memory per record after one login, code redemption and refresh (prefix "${PREFIX}"):`);
    console.table(rows);
  } finally {
    await tessera.stop();
    await redis.stop();
  }
}

await main();
