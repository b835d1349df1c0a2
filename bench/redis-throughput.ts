// Token endpoint with opaque access tokens (each one written to the store) on Redis, against
// the same Tessera on the engine's in-memory adapter, in the same run. Server pinned to core 1,
// load generator to core 0; rounds alternate the order; medians and the ratio are printed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateKeyFile } from '../src/keys/generate-key.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SECRET = 'bench-secret-0123456789abcdefghijkl';
const REQUEST = {
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from(`bench:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=api%3Aread',
};

/** Runs the comparison; returns the summary rows. */
export async function benchRedisThroughput(basePort: number): Promise<Record<string, number | string>[]> {
  const redis = await startRedisServer();
  const certs = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  generateKeyFile(certs, 'ES256', 'bench');
  const configFile = join(mkdtempSync(join(tmpdir(), 'tessera-bench-config-')), 'tessera.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [
        { client_id: 'bench', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read api:write' },
      ],
    }),
  );
  const common = { CERTS_DIR: certs, CONFIG_FILE: configFile, HOST: '127.0.0.1', ACCESS_TOKEN_FORMAT: 'opaque', LOG_LEVEL: 'info', NODE_ENV: 'development' };
  const servers = {
    redis: await startServer(['src/main.ts'], { ...common, ISSUER: `http://127.0.0.1:${basePort}`, REDIS_URL: redis.url }, basePort),
    memory: await startServer(['src/main.ts'], { ...common, ISSUER: `http://127.0.0.1:${basePort + 1}` }, basePort + 1),
  };
  const results: Record<'redis' | 'memory', LoadResult[]> = { redis: [], memory: [] };
  try {
    for (const server of Object.values(servers)) await load({ url: `${server.url}/token`, seconds: 2, connections: 10, ...REQUEST });
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? (['redis', 'memory'] as const) : (['memory', 'redis'] as const)) {
        const result = await load({ url: `${servers[name].url}/token`, seconds: SECONDS, connections: 10, ...REQUEST });
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        results[name].push(result);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    await redis.stop();
  }
  const ratio = median(results.redis.map((r, i) => r.rps / results.memory[i]!.rps));
  return (['redis', 'memory'] as const).map((name) => ({
    store: name,
    'tokens/s': Math.round(median(results[name].map((r) => r.rps))),
    'p50 ms': median(results[name].map((r) => r.p50)),
    'p99 ms': median(results[name].map((r) => r.p99)),
    'x memory': Number((name === 'redis' ? ratio : 1).toFixed(3)),
  }));
}

if (import.meta.main) {
  console.log('opaque access tokens (client_credentials): Redis store against the in-memory store');
  console.table(await benchRedisThroughput(21400));
}
