// Userinfo and introspection with the JWT access token of the code flow, each against
// client_credentials (sign a JWT) on the same Tessera process pinned to one core, in alternating
// rounds; goal each ≥ 0.7 ×. Tessera runs on Redis (core 0, with the load generator), as in
// production. Two workloads each: one token presented again and again (a gateway introspecting
// the token of every API call: verified once, then its grant checked each time), and every
// token new, from a pool three times larger than Tessera's memory of verified tokens (a relying
// party calling userinfo once after each sign-in: the signature is verified and the token's
// grant record read every time). The pool's tokens are minted like the code flow's (same claims,
// key and grant, new jti), each with the grant record Tessera writes at issuance.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';

import { createRedisAdapter } from '../adapters/redis/index.ts';
import { generateKeyFile } from '../src/keys/generate-key.ts';
import { createJwtSigner } from '../src/keys/jwt-signer.ts';
import { loadKeys } from '../src/keys/load-keys.ts';
import { createAccessTokenGrants } from '../src/provider/access-token-grants.ts';
import { cpuSeconds } from './lib/cpu-time.ts';
import { load, median, rotatingPool } from './lib/load.ts';
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
const PREFIX = 'bench-userinfo:';
/** Distinct tokens per pool: three times what Tessera remembers, so a pass over a pool always misses. */
const POOL = 30_000;

/** `count` tokens like `jwt` (same claims, key and grant; new jti), each with its grant record, as Tessera writes it. */
async function mintLike(jwt: string, count: number, { certs, redisUrl }: { certs: string; redisUrl: string }): Promise<string[]> {
  const sign = createJwtSigner(await loadKeys({ dir: certs }));
  const redis = new Redis(redisUrl);
  try {
    const grants = createAccessTokenGrants(createRedisAdapter({ redis, prefix: PREFIX }));
    const claims = decodeJwt(jwt);
    const record = await grants.find(String(claims.jti));
    if (!record) throw new Error("the code flow's token has no grant record");
    const iat = Math.floor(Date.now() / 1000);
    const tokens = Array.from({ length: count }, () => ({ jti: randomUUID(), iat }));
    await Promise.all(tokens.map(({ jti }) => grants.remember(jti, record, 3600)));
    return Promise.all(tokens.map(({ jti }) => sign('ES256', { ...claims, jti, iat, exp: iat + 3600 })));
  } finally {
    redis.disconnect();
  }
}

/** Commands Redis has run so far (`INFO commandstats`), the INFO asking it left out. */
async function redisCommands(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  let calls = 0;
  for (const [, name, count] of stats.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) if (name !== 'info') calls += Number(count);
  return calls;
}

/** A run's throughput, the server's CPU time per successful request (µs), which other load on the machine barely moves, and Redis commands per request. */
interface Measured extends LoadResult {
  readonly cpuPerRequest: number | undefined;
  readonly commandsPerRequest: number;
}

const basic = (id: string): string => Buffer.from(`${id}:${SECRET}`).toString('base64');

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-userinfo-'));
  const certs = join(dir, 'certs');
  generateKeyFile(certs, 'ES256', 'bench-es256');
  writeFileSync(join(certs, 'keys.json'), JSON.stringify({ 'bench-es256': { alg: 'ES256' } }));
  const configFile = join(dir, 'tessera.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [
        { client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] },
        { client_id: 'gateway', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' },
      ],
    }),
  );
  const issuer = `http://127.0.0.1:${PORT}`;
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX };
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const tessera = await startServer(
    [...profile, 'src/main.ts'],
    {
      ...env,
      NODE_ENV: 'development',
      CERTS_DIR: certs,
      CONFIG_FILE: configFile,
      ISSUER: issuer,
      HOST: '127.0.0.1',
      ACCESS_TOKEN_INTROSPECTORS: 'gateway',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    },
    PORT,
  ).catch(async (err: unknown) => {
    await redis.stop();
    throw err;
  });
  try {
    const add = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/tessera.js'), 'users', 'add', 'bench-user', '--name', 'Bench User', '--email', 'bench@example.com'],
      { input: `${PASSWORD}\n`, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    );
    if (add.status !== 0) throw new Error(`tessera users add failed: ${add.stderr}`);
    const { code, verifier } = await authorizeOverHttp({
      issuer,
      clientId: 'webapp',
      redirectUri: REDIRECT,
      scope: 'openid profile email api:read',
      username: 'bench-user',
      password: PASSWORD,
    });
    const tokens = await tokenRequest(issuer, basic('webapp'), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    const jwt = tokens.access_token!;

    const [forUserinfo, forIntrospection] = [
      await mintLike(jwt, POOL, { certs, redisUrl: redis.url }),
      await mintLike(jwt, POOL, { certs, redisUrl: redis.url }),
    ];
    const gateway = { authorization: `Basic ${basic('gateway')}`, 'content-type': FORM };
    const workloads: Record<string, (seconds: number) => Promise<LoadResult>> = {
      client_credentials: (seconds) =>
        load({
          url: `${issuer}/token`,
          seconds,
          connections: CONNECTIONS,
          method: 'POST',
          headers: gateway,
          body: 'grant_type=client_credentials&scope=api%3Aread',
        }),
      'userinfo, one token again and again': (seconds) =>
        load({ url: `${issuer}/me`, seconds, connections: CONNECTIONS, headers: { authorization: `Bearer ${jwt}` } }),
      'userinfo, every token new': rotatingPool(`${issuer}/me`, CONNECTIONS, {}, forUserinfo, { bearer: true }),
      'introspection, one token again and again': (seconds) =>
        load({ url: `${issuer}/token/introspection`, seconds, connections: CONNECTIONS, method: 'POST', headers: gateway, body: `token=${jwt}` }),
      'introspection, every token new': rotatingPool(
        `${issuer}/token/introspection`,
        CONNECTIONS,
        gateway,
        forIntrospection.map((token) => `token=${token}`),
      ),
    };
    for (const token of [jwt, forIntrospection.at(-1)!]) {
      const probe = await fetch(`${issuer}/token/introspection`, { method: 'POST', headers: gateway, body: `token=${token}` });
      const described = (await probe.json()) as { active?: boolean };
      if (!described.active) throw new Error(`introspection does not describe the token: ${JSON.stringify(described)}`);
    }
    const info = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${forUserinfo.at(-1)!}` } });
    if (info.status !== 200) throw new Error(`userinfo refuses a pool token: ${info.status} ${await info.text()}`);

    // BENCH_WORKLOADS (names separated by ';') runs some only, e.g. one under `node --cpu-prof` (BENCH_PROFILE_DIR).
    const names = [
      'client_credentials',
      ...Object.keys(workloads).filter(
        (name) => name !== 'client_credentials' && (!process.env.BENCH_WORKLOADS || process.env.BENCH_WORKLOADS.split(';').includes(name)),
      ),
    ];
    const counter = new Redis(redis.url);
    const results = Object.fromEntries(names.map((n) => [n, [] as Measured[]]));
    for (const name of names) await workloads[name]!(2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const commandsBefore = await redisCommands(counter);
        const before = cpuSeconds(tessera.pid);
        const result = await workloads[name]!(SECONDS);
        const after = cpuSeconds(tessera.pid);
        const commandsPerRequest = ((await redisCommands(counter)) - commandsBefore) / (result.rps * SECONDS);
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const cpuPerRequest = before === undefined || after === undefined ? undefined : ((after - before) * 1e6) / (result.rps * SECONDS);
        results[name]!.push({ ...result, cpuPerRequest, commandsPerRequest });
      }
    }
    const baseline = results.client_credentials!;
    const ratio = (name: string): number => median(results[name]!.map((r, i) => r.rps / baseline[i]!.rps));
    const cpuRatio = (name: string): number => median(results[name]!.map((r, i) => (baseline[i]!.cpuPerRequest ?? NaN) / (r.cpuPerRequest ?? NaN)));
    console.log(`ES256, Tessera on Redis, one core, ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections (goal: each ≥ 0.7 × client_credentials)`);
    console.table(
      names.map((name) => ({
        workload: name,
        'requests/s': Math.round(median(results[name]!.map((r) => r.rps))),
        'p50 ms': median(results[name]!.map((r) => r.p50)),
        'p99 ms': median(results[name]!.map((r) => r.p99)),
        'x client_credentials': Number(ratio(name).toFixed(3)),
        'CPU µs/request': Math.round(median(results[name]!.map((r) => r.cpuPerRequest ?? NaN))),
        'x by CPU time': Number(cpuRatio(name).toFixed(3)),
        'Redis commands/request': Number(median(results[name]!.map((r) => r.commandsPerRequest)).toFixed(2)),
      })),
    );
    counter.disconnect();
    console.log(
      "x by CPU time: client_credentials' server CPU time per request over the workload's, in the same round: " +
        'the throughput ratio on a core of its own, which other processes on a shared machine distort less than requests/s',
    );
  } finally {
    await tessera.stop();
    await redis.stop();
  }
}

await main();
