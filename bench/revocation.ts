// Revocation across the fleet. With 100,000 live entries in Redis:
//  - the kit with revocation on verifies at >= 0.95x the kit without (interleaved slices, medians);
//  - the kit's memory for the entries (heap after GC), Redis' memory per entry, bytes on the wire per entry;
//  - time from an RFC 7009 revocation at Tessera to the kit's refusal, p50 and p99, at the default poll interval;
//  - client_credentials tokens/s of Tessera with revocation on against REVOCATION=false (>= 0.95x).
//
//   node bench/revocation.ts   (BENCH_SECONDS, BENCH_ROUNDS, BENCH_SAMPLES shorten it)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { Redis } from 'ioredis';

import { createVerifier } from '../src/resource-server/index.ts';
import type { Verifier } from '../src/resource-server/index.ts';
import { createRedisRevocationStore } from '../src/revocation/redis-revocation-store.ts';
import type { RevocationEntry } from '../src/revocation/revocation-entry.ts';
import { load, median } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const ENTRIES = 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const DEFAULT_INTERVAL = 5;
const THRESHOLD = 0.95;
const PORT = 21600;
const SECRET = 'bench-secret-0123456789abcdefghijkl';
const BASIC = `Basic ${Buffer.from(`bench:${SECRET}`).toString('base64')}`;
const TOKEN_REQUEST = {
  method: 'POST',
  headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=api%3Aread',
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function configFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-bench-revocation-')), 'tessera.json');
  writeFileSync(
    file,
    JSON.stringify({
      clients: [{ client_id: 'bench', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' }],
    }),
  );
  return file;
}

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/token`, TOKEN_REQUEST);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** 100,000 entries of every kind, as a busy fleet would hold: mostly single tokens and grants. */
async function fill(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl);
  const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  const store = createRedisRevocationStore({ redis, prefix: 'tessera:' });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const claims = ['jti', 'jti', 'grant_ref', 'sub', 'client_id'] as const;
  for (let i = 0; i < ENTRIES; i += 1000) {
    const batch: RevocationEntry[] = Array.from({ length: 1000 }, (_, j) => {
      const claim = claims[(i + j) % claims.length]!;
      const value =
        claim === 'jti'
          ? `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '').slice(0, 43)
          : claim === 'grant_ref'
            ? crypto.randomUUID().replaceAll('-', '').slice(0, 22)
            : crypto.randomUUID().replaceAll('-', '').slice(0, 22);
      return claim === 'sub' || claim === 'client_id' ? { claim, value, exp, iat_max: exp - 3600 } : { claim, value, exp };
    });
    await store.add(batch);
  }
  const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  redis.disconnect();
  return (after - before) / ENTRIES;
}

/** Bytes of the feed pages a new resource server reads for the whole list. */
async function wireBytes(url: string): Promise<{ bytes: number; pages: number }> {
  let since = 0;
  let bytes = 0;
  let pages = 0;
  for (let more = true; more; pages++) {
    const body = await (await fetch(`${url}/revocations?since=${since}`)).text();
    bytes += Buffer.byteLength(body);
    const claims = JSON.parse(Buffer.from(body.split('.')[1]!, 'base64url').toString()) as { cursor: number; more: boolean };
    ({ cursor: since, more } = claims);
  }
  return { bytes, pages };
}

/** Verifications per second of `verifier` over `ms`, awaited one after another. */
async function rate(verifier: Verifier, jwt: string, ms: number): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 32; i++) await verifier.verify(jwt);
    ops += 32;
    // A verification that needs no I/O never leaves the microtask queue: give the event loop a
    // turn now and then, as a server does between requests, so sockets closed meanwhile are seen.
    if (ops % 4096 === 0) await new Promise(setImmediate);
  }
  return ops / ((performance.now() - start) / 1000);
}

async function verifyRatio(on: Verifier, off: Verifier, jwt: string): Promise<{ on: number; off: number; ratio: number }> {
  await rate(on, jwt, 300);
  await rate(off, jwt, 300);
  const rows = [];
  for (let round = 0; round < ROUNDS; round++) {
    let a = 0;
    let b = 0;
    for (let slice = 0; slice < 8; slice++) {
      if ((slice + round) % 2) {
        a += await rate(on, jwt, 100);
        b += await rate(off, jwt, 100);
      } else {
        b += await rate(off, jwt, 100);
        a += await rate(on, jwt, 100);
      }
    }
    rows.push({ on: a / 8, off: b / 8, ratio: a / b });
  }
  return { on: median(rows.map((r) => r.on)), off: median(rows.map((r) => r.off)), ratio: median(rows.map((r) => r.ratio)) };
}

/** Milliseconds from the revocation response to the first refusal, for SAMPLES tokens revoked at random moments. */
async function latencies(url: string, verifier: Verifier): Promise<number[]> {
  const tokens = await Promise.all(Array.from({ length: SAMPLES }, () => token(url)));
  return Promise.all(
    tokens.map(async (jwt) => {
      await sleep(Math.random() * DEFAULT_INTERVAL * 2000);
      await fetch(`${url}/token/revocation`, { method: 'POST', headers: TOKEN_REQUEST.headers, body: `token=${jwt}` });
      const revokedAt = performance.now();
      for (;;) {
        try {
          await verifier.verify(jwt);
        } catch (err) {
          if ((err as { reason?: string }).reason === 'revoked') return performance.now() - revokedAt;
          throw err;
        }
        await sleep(5);
      }
    }),
  );
}

const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function clientCredentials(redisUrl: string, file: string): Promise<{ on: number; off: number; ratio: number }> {
  const rows = [];
  for (let round = 0; round < ROUNDS; round++) {
    const measured: Record<string, number> = {};
    for (const revocation of round % 2 ? ['true', 'false'] : ['false', 'true']) {
      const server = await startServer(
        ['src/main.ts'],
        {
          REDIS_URL: redisUrl,
          CONFIG_FILE: file,
          HOST: '127.0.0.1',
          ISSUER: `http://127.0.0.1:${PORT + 1}`,
          CERTS_DIR: certs,
          REVOCATION: revocation,
          LOG_LEVEL: 'warn',
        },
        PORT + 1,
      );
      try {
        await load({ url: `${server.url}/token`, seconds: 1, connections: 10, ...TOKEN_REQUEST });
        const result = await load({ url: `${server.url}/token`, seconds: SECONDS, connections: 10, ...TOKEN_REQUEST });
        if (result.non2xx || result.errors) throw new Error(`REVOCATION=${revocation}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        measured[revocation] = result.rps;
      } finally {
        await server.stop();
      }
    }
    rows.push({ on: measured.true!, off: measured.false!, ratio: measured.true! / measured.false! });
  }
  return { on: median(rows.map((r) => r.on)), off: median(rows.map((r) => r.off)), ratio: median(rows.map((r) => r.ratio)) };
}

const certs = mkdtempSync(join(tmpdir(), 'tessera-bench-revocation-certs-'));
console.log(`revocation: ${ENTRIES} entries, ${ROUNDS} rounds, ${SAMPLES} latency samples (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`);
const redis = await startRedisServer();
const file = configFile();
const tessera = await startServer(
  ['src/main.ts'],
  { REDIS_URL: redis.url, CONFIG_FILE: file, HOST: '127.0.0.1', ISSUER: `http://127.0.0.1:${PORT}`, CERTS_DIR: certs, LOG_LEVEL: 'warn' },
  PORT,
);
try {
  const redisBytes = await fill(redis.url);
  const wire = await wireBytes(tessera.url);
  const jwt = await token(tessera.url);
  const off = createVerifier({ authority: tessera.url, revocation: false });
  await off.ready();
  const base = heap();
  const on = createVerifier({ authority: tessera.url });
  await on.ready();
  const kitBytes = heap() - base;
  const verify = await verifyRatio(on, off, jwt);
  const waits = await latencies(tessera.url, on);
  on.close();
  const cc = await clientCredentials(redis.url, file);
  console.table([
    { measure: 'kit verify/s, revocation on (100k entries)', value: Math.round(verify.on) },
    { measure: 'kit verify/s, revocation off', value: Math.round(verify.off) },
    { measure: 'kit ratio on/off', value: Number(verify.ratio.toFixed(3)) },
    { measure: 'kit heap for 100k entries (MB)', value: Number((kitBytes / 1e6).toFixed(1)) },
    { measure: 'Redis memory per entry (bytes)', value: Math.round(redisBytes) },
    { measure: `feed bytes per entry (${wire.pages} pages)`, value: Number((wire.bytes / ENTRIES).toFixed(1)) },
    { measure: `event to refusal p50 ms (interval ${DEFAULT_INTERVAL} s)`, value: Math.round(percentile(waits, 0.5)) },
    { measure: `event to refusal p99 ms (interval ${DEFAULT_INTERVAL} s)`, value: Math.round(percentile(waits, 0.99)) },
    { measure: 'client_credentials tokens/s, revocation on', value: Math.round(cc.on) },
    { measure: 'client_credentials tokens/s, REVOCATION=false', value: Math.round(cc.off) },
    { measure: 'client_credentials ratio on/off', value: Number(cc.ratio.toFixed(3)) },
  ]);
  for (const [name, ratio] of [
    ['kit verify', verify.ratio],
    ['client_credentials', cc.ratio],
  ] as const) {
    if (ratio < THRESHOLD) {
      console.error(`revocation: ${name} below ${THRESHOLD}x without revocation`);
      process.exitCode = 1;
    }
  }
} finally {
  await tessera.stop();
  await redis.stop();
}
