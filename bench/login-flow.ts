// The whole sign-in of a person over HTTP, without a browser: authorize → login form → consent
// form → code → token endpoint, against one Tessera on Redis (both on loopback). Reports the
// latency per flow (p50, p99) run one after another and several at once; as the baseline from
// the same run, one scrypt verification with Tessera's parameters timed in this process (the
// part of a login that is password hashing); and the Redis work per flow, counted: commands
// executed (INFO commandstats deltas) and requests sent (MONITOR, in a separate untimed pass).
//
//   node bench/login-flow.ts        (about 20 s; stops adding flows after 45 s)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createPasswordHasher } from '../src/accounts/password-hasher.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../src/accounts/scrypt-params.ts';
import { authorizeOverHttp, tokenRequest } from './lib/oidc-flow.ts';
import { ROOT, startServer } from './lib/processes.ts';
import { activityBetween, countRequests, redisActivity } from './lib/redis-counters.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SEQUENTIAL = Number(process.env.BENCH_FLOWS ?? 40);
const CONCURRENCY = 4;
const PER_WORKER = Math.ceil(SEQUENTIAL / CONCURRENCY);
const HASHES = 20;
const DEADLINE = Date.now() + 45_000;
const SECRET = 'bench-login-secret-0123456789abcdefghij';
const BASIC = Buffer.from(`webapp:${SECRET}`).toString('base64');
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
const SCOPE = 'openid profile email api:read';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Nearest-rank percentile of milliseconds. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (value: number): number => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-login-'));
  const configFile = join(dir, 'tessera.json');
  writeFileSync(
    configFile,
    JSON.stringify({ clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] }] }),
  );
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-login:' };
  const tessera = await startServer(
    ['src/main.ts'],
    {
      ...env,
      NODE_ENV: 'development',
      CERTS_DIR: join(dir, 'certs'),
      CONFIG_FILE: configFile,
      ISSUER: issuer,
      HOST: '127.0.0.1',
      PASSWORD_SCRYPT_N: String(DEFAULT_SCRYPT_PARAMS.N),
    },
    port,
  );
  const stats = new Redis(redis.url);
  try {
    const add = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'users', 'add', 'bench-user', '--name', 'Bench User'], {
      input: `${PASSWORD}\n`,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
    if (add.status !== 0) throw new Error(`tessera users add failed: ${add.stderr}`);

    const flow = async (): Promise<number> => {
      const start = performance.now();
      const { code, verifier } = await authorizeOverHttp({
        issuer,
        clientId: 'webapp',
        redirectUri: REDIRECT,
        scope: SCOPE,
        username: 'bench-user',
        password: PASSWORD,
      });
      const tokens = await tokenRequest(issuer, BASIC, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
      if (!tokens.access_token || !tokens.id_token) throw new Error('the token response lacks a token');
      return performance.now() - start;
    };
    for (let i = 0; i < 3; i++) await flow(); // warm-up: JIT, key import, connections

    const before = await redisActivity(stats);
    const sequential: number[] = [];
    const sequentialStart = performance.now();
    while (sequential.length < SEQUENTIAL && Date.now() < DEADLINE) sequential.push(await flow());
    const sequentialSeconds = (performance.now() - sequentialStart) / 1000;
    const perFlow = activityBetween(before, await redisActivity(stats));

    const concurrent: number[] = [];
    const concurrentStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < PER_WORKER && Date.now() < DEADLINE; i++) concurrent.push(await flow());
      }),
    );
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;

    const requests = await countRequests(redis.url, async () => {
      for (let i = 0; i < 3; i++) await flow();
    });

    const hasher = createPasswordHasher({ params: DEFAULT_SCRYPT_PARAMS });
    const stored = await hasher.hash(PASSWORD);
    const hashes: number[] = [];
    for (let i = 0; i < HASHES; i++) {
      const start = performance.now();
      if (!(await hasher.verify(PASSWORD, stored)).ok) throw new Error('scrypt verification failed');
      hashes.push(performance.now() - start);
    }

    const { N, r, p } = DEFAULT_SCRYPT_PARAMS;
    const hashP50 = percentile(hashes, 50);
    console.log(
      `one sign-in = 8 HTTP requests (authorize, login page, login POST, resume, consent page, consent POST, resume, token), user "bench-user", scope "${SCOPE}"`,
    );
    console.table([
      {
        measured: 'flow, one at a time',
        n: sequential.length,
        'p50 ms': ms(percentile(sequential, 50)),
        'p99 ms': ms(percentile(sequential, 99)),
        'flows/s': ms(sequential.length / sequentialSeconds),
        'p50 / scrypt p50': ms(percentile(sequential, 50) / hashP50),
      },
      {
        measured: `flow, ${CONCURRENCY} at once`,
        n: concurrent.length,
        'p50 ms': ms(percentile(concurrent, 50)),
        'p99 ms': ms(percentile(concurrent, 99)),
        'flows/s': ms(concurrent.length / concurrentSeconds),
        'p50 / scrypt p50': ms(percentile(concurrent, 50) / hashP50),
      },
      {
        measured: `scrypt verify N=${N} r=${r} p=${p}, in-process (baseline)`,
        n: hashes.length,
        'p50 ms': ms(hashP50),
        'p99 ms': ms(percentile(hashes, 99)),
        'flows/s': '',
        'p50 / scrypt p50': 1,
      },
    ]);
    const total = Object.values(perFlow.commands).reduce((sum, calls) => sum + calls, 0);
    const byCommand = Object.entries(perFlow.commands)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, calls]) => `${name}×${ms(calls / sequential.length)}`)
      .join(' ');
    console.log(
      `Redis per flow: ${ms(total / sequential.length)} commands executed (INFO commandstats over the ${sequential.length} sequential flows, ` +
        `inside Lua and MULTI included): ${byCommand}`,
    );
    console.log(
      `Redis per flow: ${ms(requests / 3)} requests from Tessera (MONITOR over 3 more flows, MULTI…EXEC and each Lua script once), ` +
        `taking ${ms(perFlow.reads / sequential.length)} round trips (reads Redis processed, INFO stats over the sequential flows: requests sent in one turn share a write)`,
    );
  } finally {
    stats.disconnect();
    await tessera.stop();
    await redis.stop();
  }
}

await main();
