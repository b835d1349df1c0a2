// Token exchange throughput: the RFC 8693 grant (verify a JWT subject token, apply the policy,
// sign a new JWT) against client_credentials (sign a JWT), on the same Tessera process pinned
// to one core, in alternating rounds; goal ≥ 0.7 ×. Once with ES256 access tokens, once with
// RS256. Two exchange workloads, each from a pool of distinct subject tokens larger than
// Tessera's memory of verified tokens: every exchange with a new subject token (the worst case),
// and the worked example of the README (the order service exchanges each user token for
// geolocation, credit rating and payments). Also the cost of embedding a narrower token: its
// size in bytes (ES256, RS256) and throughput with one embedded (ES256). And the same comparison
// on the lean ceiling (no protocol engine, same key): what the algorithm's verification leaves of
// the ratio before any implementation adds to it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateKeyFile } from '../src/keys/generate-key.ts';
import { createJwtSigner } from '../src/keys/jwt-signer.ts';
import { loadKeys } from '../src/keys/load-keys.ts';
import { load, median, rotatingPool } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
const PORT = 21300;
type Alg = 'ES256' | 'RS256';
const SECRET = 'bench-secret-0123456789abcdefghijkl';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ORDERS = 'https://orders.example.com';
/** Distinct subject tokens per pool: three times what Tessera remembers, so a pass over a pool always misses. */
const POOL = 30_000;

const client = (client_id: string, extra: Record<string, unknown>) => ({ client_id, client_secret: SECRET, redirect_uris: [], response_types: [], ...extra });
const CONFIG = {
  clients: [
    client('bench', { grant_types: ['client_credentials'], scope: 'api:read orders payments' }),
    client('orders-service', {
      grant_types: [GRANT],
      token_exchange: {
        targets: [
          { audience: 'payments', scope: 'payments' },
          { audience: 'geolocation', scope: 'geo:read' },
          { audience: 'credit-rating', scope: 'credit:read' },
        ],
      },
    }),
    client('embed-es256', {
      grant_types: ['client_credentials'],
      scope: 'orders payments',
      embed: [{ claim: 'payments_token', audience: 'payments', scope: 'payments', ttl: 60 }],
    }),
    client('embed-rs256', {
      grant_types: ['client_credentials'],
      scope: 'orders payments',
      embed: [{ claim: 'payments_token', audience: 'payments-rs', scope: 'payments', ttl: 60 }],
    }),
  ],
  resourceServers: [
    { indicator: ORDERS, audience: 'orders', scopes: ['orders', 'payments', 'geo:read', 'credit:read'] },
    { indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'], accessTokenTTL: 300 },
    { indicator: 'https://geo.example.com', audience: 'geolocation', scopes: ['geo:read'], accessTokenTTL: 300 },
    { indicator: 'https://credit.example.com', audience: 'credit-rating', scopes: ['credit:read'], accessTokenTTL: 300 },
    { indicator: 'https://payments-rs.example.com', audience: 'payments-rs', scopes: ['payments'], accessTokenTTL: 300, signingAlg: 'RS256' },
  ],
};

const basic = (id: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${id}:${SECRET}`).toString('base64')}`,
  'content-type': 'application/x-www-form-urlencoded',
});

async function token(issuer: string, id: string, body: Record<string, string>): Promise<string> {
  const response = await fetch(`${issuer}/token`, { method: 'POST', headers: basic(id), body: new URLSearchParams(body) });
  const json = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !json.access_token) throw new Error(`${id}: no token: ${JSON.stringify(json)}`);
  return json.access_token;
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
generateKeyFile(dir, 'ES256', 'bench-es256');
generateKeyFile(dir, 'RS256', 'bench-rs256');
// Each key pinned to its algorithm (keys.json), as RFC 8725 §3.1 advises.
writeFileSync(join(dir, 'keys.json'), JSON.stringify({ 'bench-es256': { alg: 'ES256' }, 'bench-rs256': { alg: 'RS256' } }));
const configFile = join(mkdtempSync(join(tmpdir(), 'tessera-bench-config-')), 'tessera.json');
writeFileSync(configFile, JSON.stringify(CONFIG));

/** Subject tokens as Tessera issues them to `bench` for the order service (same key, same claims). */
async function mintSubjectTokens(issuer: string, alg: Alg, count: number): Promise<string[]> {
  const sign = createJwtSigner(await loadKeys({ dir }));
  const iat = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: count }, () =>
      sign(alg, {
        iss: issuer,
        aud: 'orders',
        sub: 'bench',
        client_id: 'bench',
        scope: 'orders payments geo:read credit:read',
        jti: randomUUID(),
        iat,
        exp: iat + 3600,
      }),
    ),
  );
}

const exchangeBody = (subject: string, audience: string, scope: string) =>
  new URLSearchParams({ grant_type: GRANT, subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, audience, scope }).toString();

/** Prints the size one embedded token adds to an access token (ES256 and RS256 embedded tokens). */
async function embeddedSizes(issuer: string): Promise<void> {
  const forOrders = { grant_type: 'client_credentials', resource: ORDERS, scope: 'orders payments' };
  const [unembedded, withEs, withRs] = await Promise.all(['bench', 'embed-es256', 'embed-rs256'].map((id) => token(issuer, id, forOrders)));
  console.log('size of one embedded token (bytes added to the access token):');
  console.table([
    { access_token: 'no embed (aud orders, scope orders payments)', bytes: unembedded!.length, added: 0 },
    { access_token: 'one ES256 embedded token', bytes: withEs!.length, added: withEs!.length - unembedded!.length },
    { access_token: 'one RS256 (2048-bit) embedded token', bytes: withRs!.length, added: withRs!.length - unembedded!.length },
  ]);
}

/** One workload: a load on one server, compared with `baseline` (that server's client_credentials) in the same round. */
interface Workload {
  readonly baseline: string;
  run(seconds: number): Promise<LoadResult>;
}

const fixedLoad =
  (url: string, headers: Record<string, string>, body: string): Workload['run'] =>
  (seconds) =>
    load({ url, seconds, connections: CONNECTIONS, method: 'POST', headers, body });

/**
 * Exchange against client_credentials on one Tessera whose access tokens (the subject tokens
 * and the issued ones) use `alg`: verifying is the exchange's extra work, and its cost depends
 * on the algorithm (an ES256 signature costs more to verify than to make; RS256 the reverse).
 * The lean ceiling (bench/servers/lean-ceiling.ts, same key) is measured in the same rounds: its
 * exchange against its client_credentials is what the algorithm leaves to any implementation.
 */
async function compare(alg: Alg, port: number, ceilingPort: number): Promise<void> {
  const issuer = `http://127.0.0.1:${port}`;
  const tessera = await startServer(
    ['src/main.ts'],
    {
      CERTS_DIR: dir,
      CONFIG_FILE: configFile,
      HOST: '127.0.0.1',
      ISSUER: issuer,
      ACCESS_TOKEN_ALG: alg,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      NODE_ENV: 'development',
    },
    port,
  );
  const ceiling = await startServer(['bench/servers/lean-ceiling.ts'], { KEY_PATH: join(dir, `bench-${alg.toLowerCase()}.pem`), ALG: alg }, ceilingPort).catch(
    async (err: unknown) => {
      await tessera.stop();
      throw err;
    },
  );
  try {
    const url = `${issuer}/token`;
    if (alg === 'ES256') await embeddedSizes(issuer);
    const fresh = (await mintSubjectTokens(issuer, alg, POOL)).map((subject) => exchangeBody(subject, 'payments', 'payments'));
    const fanOut = (await mintSubjectTokens(issuer, alg, POOL / 3)).flatMap((subject) => [
      exchangeBody(subject, 'geolocation', 'geo:read'),
      exchangeBody(subject, 'credit-rating', 'credit:read'),
      exchangeBody(subject, 'payments', 'payments'),
    ]);
    const ceilingFresh = (await mintSubjectTokens(ceiling.url, alg, POOL)).map((subject) => exchangeBody(subject, 'payments', 'payments'));
    const clientCredentials = 'grant_type=client_credentials&scope=api%3Aread';
    const workloads: Record<string, Workload> = {
      client_credentials: { baseline: 'client_credentials', run: fixedLoad(url, basic('bench'), clientCredentials) },
      'exchange, every subject token new': { baseline: 'client_credentials', run: rotatingPool(url, CONNECTIONS, basic('orders-service'), fresh) },
      'exchange, each user token for 3 audiences': { baseline: 'client_credentials', run: rotatingPool(url, CONNECTIONS, basic('orders-service'), fanOut) },
      ...(alg === 'ES256'
        ? {
            'client_credentials + 1 embedded': {
              baseline: 'client_credentials',
              run: fixedLoad(
                url,
                basic('embed-es256'),
                new URLSearchParams({ grant_type: 'client_credentials', resource: ORDERS, scope: 'orders payments' }).toString(),
              ),
            },
          }
        : {}),
      'lean ceiling: client_credentials': {
        baseline: 'lean ceiling: client_credentials',
        run: fixedLoad(`${ceiling.url}/token`, basic('bench'), clientCredentials),
      },
      'lean ceiling: exchange, every subject token new': {
        baseline: 'lean ceiling: client_credentials',
        run: rotatingPool(`${ceiling.url}/token`, CONNECTIONS, basic('bench'), ceilingFresh),
      },
    };
    const names = Object.keys(workloads);

    const results = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]]));
    for (const name of names) await workloads[name]!.run(2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const result = await workloads[name]!.run(SECONDS);
        if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        results[name]!.push(result);
      }
    }
    const ratio = (name: string): number => median(results[name]!.map((r, i) => r.rps / results[workloads[name]!.baseline]![i]!.rps));
    console.log(`\n${alg}: token exchange vs client_credentials, tokens/s on one core, ${ROUNDS} rounds of ${SECONDS} s (goal: exchange ≥ 0.7 ×)`);
    console.table(
      names.map((name) => ({
        alg,
        workload: name,
        'tokens/s': Math.round(median(results[name]!.map((r) => r.rps))),
        'p50 ms': median(results[name]!.map((r) => r.p50)),
        'p99 ms': median(results[name]!.map((r) => r.p99)),
        'x client_credentials': Number(ratio(name).toFixed(3)),
      })),
    );
  } finally {
    await ceiling.stop();
    await tessera.stop();
  }
}

await compare('ES256', PORT, PORT + 10);
await compare('RS256', PORT + 1, PORT + 11);
