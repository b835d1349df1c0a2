// client_credentials with a stored client whose secret Redis keeps only as a hash, against a
// static CONFIG_FILE client with its secret in the configuration, on the same Tessera process
// (pinned to one core, Redis on the other) in alternating rounds; goal ≥ 0.9 ×. The stored
// client costs a Redis read per request besides the hash check.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createRedisAdapter } from '../adapters/redis/index.ts';
import { generateKeyFile } from '../src/keys/generate-key.ts';
import { createStoredClients } from '../src/provider/stored-clients.ts';
import { load, median } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import { startRedisServer } from './lib/redis-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PORT = 21400;
const SECRET = 'bench-secret-0123456789abcdefghijkl';
const PREFIX = 'bench:';

const request = (id: string, secret: string) => ({
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=api%3Aread',
});

const redisServer = await startRedisServer();
const redis = new Redis(redisServer.url);
const stored = createStoredClients({
  redis,
  prefix: PREFIX,
  adapter: createRedisAdapter({ redis, prefix: PREFIX }),
  staticIds: ['bench'],
  resourceServers: [],
  onChange: async () => {},
});
const { secret } = await stored.add({ client_id: 'hashed', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' });
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
generateKeyFile(dir, 'ES256', 'bench');
const configFile = join(dir, 'tessera.json');
writeFileSync(
  configFile,
  JSON.stringify({
    clients: [{ client_id: 'bench', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' }],
  }),
);
const server = await startServer(
  ['src/main.ts'],
  {
    CERTS_DIR: dir,
    CONFIG_FILE: configFile,
    HOST: '127.0.0.1',
    ISSUER: `http://127.0.0.1:${PORT}`,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    REDIS_URL: redisServer.url,
    REDIS_KEY_PREFIX: PREFIX,
  },
  PORT,
);
const workloads = { static: request('bench', SECRET), hashed: request('hashed', secret!) };
const rps: Record<keyof typeof workloads, number[]> = { static: [], hashed: [] };
try {
  for (const [name, options] of Object.entries(workloads)) {
    const warm = await load({ url: `${server.url}/token`, seconds: 2, connections: 10, ...options });
    if (warm.non2xx || warm.errors) throw new Error(`${name}: ${warm.non2xx} non-2xx, ${warm.errors} errors`);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? (['hashed', 'static'] as const) : (['static', 'hashed'] as const);
    for (const name of order) {
      const result = await load({ url: `${server.url}/token`, seconds: SECONDS, connections: 10, ...workloads[name] });
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      rps[name].push(result.rps);
    }
  }
} finally {
  await server.stop();
  redis.disconnect();
  await redisServer.stop();
}
console.table([
  { client: 'static (CONFIG_FILE, secret in config)', 'tokens/s': Math.round(median(rps.static)) },
  {
    client: 'stored in Redis, hashed secret',
    'tokens/s': Math.round(median(rps.hashed)),
    'x static': Number(median(rps.hashed.map((r, i) => r / rps.static[i]!)).toFixed(3)),
  },
]);
