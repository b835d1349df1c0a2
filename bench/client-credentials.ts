// client_credentials throughput: Tessera against two baselines measured in the same run —
// the plain engine (bare oidc-provider, same client, resource server and key) and a lean
// ceiling (bare Koa signing the same claims with jose). Each server runs on one core (core 1),
// the load generator on the other (core 0). Every round starts the three servers afresh (a
// process's speed varies with its own memory layout and compiled code, by a few per cent, so one
// process per server for the whole run would bias its ratios) and alternates their order;
// medians and ratios are printed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateKeyFile } from '../src/keys/generate-key.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import type { Server } from './lib/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
export const SECRET = 'bench-secret-0123456789abcdefghijkl';
/** The token request every client_credentials benchmark sends. */
export const REQUEST = {
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from(`bench:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=api%3Aread',
};

type Name = 'tessera' | 'engine' | 'ceiling';

/** The key and configuration the servers of one algorithm share across rounds. */
export function prepare(alg: 'ES256' | 'RS256'): { dir: string; keyPath: string; configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const keyPath = generateKeyFile(dir, alg, 'bench');
  // The key is pinned to its algorithm, as the plain engine's JWK is (`alg` set).
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ bench: { alg } }));
  const configFile = join(mkdtempSync(join(tmpdir(), 'tessera-bench-config-')), 'tessera.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [
        { client_id: 'bench', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read api:write' },
      ],
    }),
  );
  return { dir, keyPath, configFile };
}

async function startAll(alg: 'ES256' | 'RS256', basePort: number, { dir, keyPath, configFile }: ReturnType<typeof prepare>): Promise<Record<Name, Server>> {
  const common = { KEY_PATH: keyPath, ALG: alg };
  return {
    engine: await startServer(['bench/servers/plain-engine.ts'], common, basePort),
    ceiling: await startServer(['bench/servers/lean-ceiling.ts'], common, basePort + 1),
    tessera: await startServer(
      ['src/main.ts'],
      {
        CERTS_DIR: dir,
        ACCESS_TOKEN_ALG: alg,
        CONFIG_FILE: configFile,
        HOST: '127.0.0.1',
        ISSUER: `http://127.0.0.1:${basePort + 2}`,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        NODE_ENV: 'development',
      },
      basePort + 2,
    ),
  };
}

/** Fails unless `server` issues a token for {@link REQUEST}. */
export async function check(server: Server): Promise<void> {
  const response = await fetch(`${server.url}/token`, REQUEST);
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`${server.url} did not issue a token: ${JSON.stringify(body)}`);
}

/** Runs the comparison for one algorithm and returns its summary rows. */
export async function benchClientCredentials(alg: 'ES256' | 'RS256', basePort: number): Promise<Record<string, number | string>[]> {
  const shared = prepare(alg);
  const results: Record<Name, LoadResult[]> = { tessera: [], engine: [], ceiling: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const servers = await startAll(alg, basePort, shared);
    try {
      for (const server of Object.values(servers)) {
        await check(server);
        await load({ url: `${server.url}/token`, seconds: 2, connections: CONNECTIONS, ...REQUEST });
      }
      // Alternate the order so that drift in the machine's speed falls on every server alike.
      const order = round % 2 ? (['tessera', 'ceiling', 'engine'] as const) : (['engine', 'ceiling', 'tessera'] as const);
      for (const name of order) {
        const result = await load({ url: `${servers[name].url}/token`, seconds: SECONDS, connections: CONNECTIONS, ...REQUEST });
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        results[name].push(result);
      }
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
  }
  const ratio = (a: Name, b: Name): number => median(results[a].map((r, i) => r.rps / results[b][i]!.rps));
  return (['tessera', 'engine', 'ceiling'] as const).map((name) => ({
    alg,
    server: name,
    'tokens/s': Math.round(median(results[name].map((r) => r.rps))),
    'p50 ms': median(results[name].map((r) => r.p50)),
    'p99 ms': median(results[name].map((r) => r.p99)),
    'x engine': Number(ratio(name, 'engine').toFixed(3)),
    'x ceiling': Number(ratio(name, 'ceiling').toFixed(3)),
  }));
}

if (import.meta.main) {
  const rows = [...(await benchClientCredentials('ES256', 21100)), ...(await benchClientCredentials('RS256', 21200))];
  console.table(rows);
}
