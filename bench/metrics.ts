// The cost of metrics on the hot path: client_credentials throughput of Tessera with metrics on
// (METRICS_PORT set: every request counted by route and status with its latency, every token by
// grant, client and audience, every Redis command timed) against the same Tessera with metrics off,
// in the same run: both on Redis, on one core (core 1), the load generator on core 0. Every round
// starts both afresh and alternates their order; medians and the ratio are printed. Goal ≥ 0.97 ×.
import { EventEmitter } from 'node:events';

import type { Context } from 'koa';

import { createMetrics } from '../src/observability/metrics-registry.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import type { Server } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';
import { check, prepare, REQUEST } from './client-credentials.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
const PORT = 21600;
type Name = 'metrics off' | 'metrics on';

async function startBoth(redisUrl: string, shared: ReturnType<typeof prepare>): Promise<Record<Name, Server>> {
  const common = (port: number) => ({
    CERTS_DIR: shared.dir,
    ACCESS_TOKEN_ALG: 'ES256',
    CONFIG_FILE: shared.configFile,
    HOST: '127.0.0.1',
    ISSUER: `http://127.0.0.1:${port}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    NODE_ENV: 'development',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench${port}:`,
  });
  return {
    'metrics off': await startServer(['src/main.ts'], common(PORT), PORT),
    'metrics on': await startServer(['src/main.ts'], { ...common(PORT + 1), METRICS_PORT: String(PORT + 2) }, PORT + 1),
  };
}

/** The tokens the metrics-on server counted: what a scrape says, as a check that it counted at all. */
async function countedTokens(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${PORT + 2}/metrics`)).text();
  return [...text.matchAll(/^tessera_access_tokens_issued_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * In-process, what metrics add to one client_credentials request: the request counted and timed,
 * its token counted (the engine event's listener). Nanoseconds per request, median of 5 passes.
 */
function hotPathCost(): number {
  const metrics = createMetrics({ audiences: ['resource_server'] });
  const engine = new EventEmitter();
  metrics.tokens.observe(engine);
  const ctx = { status: 200, oidc: { route: 'token' }, state: {} } as unknown as Context;
  const token = { clientId: 'bench', resourceServer: { audience: 'resource_server' } };
  const passes: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    const n = 200_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      engine.emit('client_credentials.issued', token);
      metrics.http.observe(ctx, started);
    }
    if (pass) passes.push(((performance.now() - started) * 1e6) / n);
  }
  return median(passes);
}

const redis = await startRedisServer();
const shared = prepare('ES256');
const results: Record<Name, LoadResult[]> = { 'metrics off': [], 'metrics on': [] };
let counted = 0;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const servers = await startBoth(redis.url, shared);
    try {
      for (const server of Object.values(servers)) {
        await check(server);
        await load({ url: `${server.url}/token`, seconds: 2, connections: CONNECTIONS, ...REQUEST });
      }
      const order: Name[] = round % 2 ? ['metrics on', 'metrics off'] : ['metrics off', 'metrics on'];
      for (const name of order) {
        const result = await load({ url: `${servers[name].url}/token`, seconds: SECONDS, connections: CONNECTIONS, ...REQUEST });
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        results[name].push(result);
      }
      counted = await countedTokens();
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
  }
} finally {
  await redis.stop();
}
const ratio = median(results['metrics on'].map((r, i) => r.rps / results['metrics off'][i]!.rps));
console.table(
  (['metrics off', 'metrics on'] as const).map((name) => ({
    server: name,
    'tokens/s': Math.round(median(results[name].map((r) => r.rps))),
    'p50 ms': median(results[name].map((r) => r.p50)),
    'p99 ms': median(results[name].map((r) => r.p99)),
    'x metrics off': Number(median(results[name].map((r, i) => r.rps / results['metrics off'][i]!.rps)).toFixed(3)),
  })),
);
console.log(`metrics on / off: ${ratio.toFixed(3)} × (goal ≥ 0.97); tokens counted by the last round's scrape: ${counted}`);
console.log(`metrics' own work per request, in process: ${Math.round(hotPathCost())} ns`);
if (ratio < 0.97) process.exitCode = 1;
