// Userinfo and introspection with the JWT access token of the code flow, each against
// client_credentials (sign a JWT) on the same Tessera process pinned to one core, in alternating
// rounds; goal each ≥ 0.7 ×. Tessera runs on Redis (core 0, with the load generator), as in
// production: userinfo reads the token's grant record, the grant and the account; introspection
// the record and the grant. Both verify the JWT's signature (ES256) on every request.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { authorizeOverHttp, tokenRequest } from './lib/oidc-flow.ts';
import { ROOT, startServer } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
const PORT = 21400;
const SECRET = 'bench-userinfo-secret-0123456789abcdef';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const FORM = 'application/x-www-form-urlencoded';

const basic = (id: string): string => Buffer.from(`${id}:${SECRET}`).toString('base64');

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-userinfo-'));
  const configFile = join(dir, 'tessera.json');
  writeFileSync(configFile, JSON.stringify({ clients: [
    { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] },
    { client_id: 'gateway', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' },
  ] }));
  const issuer = `http://127.0.0.1:${PORT}`;
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-userinfo:' };
  const tessera = await startServer(['src/main.ts'], {
    ...env, NODE_ENV: 'development', CERTS_DIR: join(dir, 'certs'), CONFIG_FILE: configFile, ISSUER: issuer, HOST: '127.0.0.1',
    ACCESS_TOKEN_INTROSPECTORS: 'gateway', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  }, PORT).catch(async (err: unknown) => { await redis.stop(); throw err; });
  try {
    const add = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'users', 'add', 'bench-user', '--name', 'Bench User', '--email', 'bench@example.com'],
      { input: `${PASSWORD}\n`, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`tessera users add failed: ${add.stderr}`);
    const { code, verifier } = await authorizeOverHttp({ issuer, clientId: 'webapp', redirectUri: REDIRECT, scope: 'openid profile email api:read',
      username: 'bench-user', password: PASSWORD });
    const tokens = await tokenRequest(issuer, basic('webapp'), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    const jwt = tokens.access_token!;

    const gateway = { authorization: `Basic ${basic('gateway')}`, 'content-type': FORM };
    const workloads: Record<string, (seconds: number) => Promise<LoadResult>> = {
      client_credentials: (seconds) => load({ url: `${issuer}/token`, seconds, connections: CONNECTIONS, method: 'POST', headers: gateway,
        body: 'grant_type=client_credentials&scope=api%3Aread' }),
      'userinfo (GET /me, code-flow JWT)': (seconds) => load({ url: `${issuer}/me`, seconds, connections: CONNECTIONS,
        headers: { authorization: `Bearer ${jwt}` } }),
      'introspection (code-flow JWT)': (seconds) => load({ url: `${issuer}/token/introspection`, seconds, connections: CONNECTIONS, method: 'POST',
        headers: gateway, body: new URLSearchParams({ token: jwt }).toString() }),
    };
    const probe = await fetch(`${issuer}/token/introspection`, { method: 'POST', headers: gateway, body: new URLSearchParams({ token: jwt }) });
    const described = await probe.json() as { active?: boolean };
    if (!described.active) throw new Error(`introspection does not describe the token: ${JSON.stringify(described)}`);

    const names = Object.keys(workloads);
    const results = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]]));
    for (const name of names) await workloads[name]!(2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const result = await workloads[name]!(SECONDS);
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        results[name]!.push(result);
      }
    }
    const ratio = (name: string): number => median(results[name]!.map((r, i) => r.rps / results.client_credentials![i]!.rps));
    console.log(`ES256, Tessera on Redis, one core, ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections (goal: each ≥ 0.7 × client_credentials)`);
    console.table(names.map((name) => ({
      workload: name,
      'requests/s': Math.round(median(results[name]!.map((r) => r.rps))),
      'p50 ms': median(results[name]!.map((r) => r.p50)),
      'p99 ms': median(results[name]!.map((r) => r.p99)),
      'x client_credentials': Number(ratio(name).toFixed(3)),
    })));
  } finally {
    await tessera.stop();
    await redis.stop();
  }
}

await main();
