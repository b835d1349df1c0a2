// The admin API's list of users, first page (limit 50), at 10,000 users against 100 users, on
// two Tessera processes over one Redis (each its own key prefix), in alternating rounds: p50 and
// p99 latency and the ratio of p99s. Users are seeded through the user store module (scrypt
// N=1024), the admin client through the stored-clients module.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createRedisAdapter } from '../adapters/redis/index.ts';
import { createRedisUserStore } from '../src/accounts/redis-user-store.ts';
import { generateKeyFile } from '../src/keys/generate-key.ts';
import { ADMIN_SCOPES } from '../src/provider/admin-audience.ts';
import { createStoredClients } from '../src/provider/stored-clients.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import type { Server } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SIZES = { large: 10_000, small: 100 } as const;
type Size = keyof typeof SIZES;

const redisServer = await startRedisServer();
const redis = new Redis(redisServer.url);
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
generateKeyFile(dir, 'ES256', 'bench');

async function prepare(size: Size, port: number): Promise<{ server: Server; token: string }> {
  const prefix = `bench-${size}:`;
  const users = createRedisUserStore({ redis, prefix, hashing: { N: 1024 } });
  for (let start = 0; start < SIZES[size]; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, SIZES[size] - start) }, (_v, i) =>
        users.create({ username: `user${String(start + i).padStart(5, '0')}`, password: 'bench password 0123', email: `u${start + i}@example.com` }),
      ),
    );
  }
  const clients = createStoredClients({
    redis,
    prefix,
    adapter: createRedisAdapter({ redis, prefix }),
    staticIds: [],
    resourceServers: [],
    onChange: async () => {},
  });
  const { secret } = await clients.add({
    client_id: 'ops',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: ADMIN_SCOPES.join(' '),
  });
  const server = await startServer(
    ['src/main.ts'],
    {
      CERTS_DIR: dir,
      HOST: '127.0.0.1',
      ISSUER: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      REDIS_URL: redisServer.url,
      REDIS_KEY_PREFIX: prefix,
      ACCESS_TOKEN_TTL: '900',
    },
    port,
  );
  const response = await fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`ops:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&resource=urn%3Atessera%3Aadmin&scope=admin%3Ausers',
  });
  const { access_token: token } = (await response.json()) as { access_token: string };
  return { server, token };
}

const targets = { large: await prepare('large', 21500), small: await prepare('small', 21501) };
const results: Record<Size, LoadResult[]> = { large: [], small: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order: Size[] = round % 2 ? ['small', 'large'] : ['large', 'small'];
    for (const size of order) {
      const { server, token } = targets[size];
      const result = await load({
        url: `${server.url}/admin/v1/users?limit=50`,
        seconds: SECONDS,
        connections: 4,
        headers: { authorization: `Bearer ${token}` },
      });
      if (result.non2xx || result.errors) throw new Error(`${size}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      results[size].push(result);
    }
  }
} finally {
  await Promise.all(Object.values(targets).map((t) => t.server.stop()));
  redis.disconnect();
  await redisServer.stop();
}
console.table(
  (['large', 'small'] as const).map((size) => ({
    users: SIZES[size],
    'pages/s': Math.round(median(results[size].map((r) => r.rps))),
    'p50 ms': median(results[size].map((r) => r.p50)),
    'p99 ms': median(results[size].map((r) => r.p99)),
    'p99 x 100 users': Number(median(results[size].map((r, i) => r.p99 / results.small[i]!.p99)).toFixed(2)),
  })),
);
