// `npm run bench`: every Tessera benchmark, each against a baseline measured in the same run.
// Set BENCH_SECONDS / BENCH_ROUNDS to trade time for precision; BENCH_ONLY=name runs one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { benchClientCredentials } from './client-credentials.ts';
import { ROOT } from './lib/processes.ts';

const only = process.env.BENCH_ONLY;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
console.log(`machine: ${machine}`);

if (!only || only === 'client-credentials') {
  console.log('\nclient_credentials: tokens/s on one core (server pinned to core 1, load generator to core 0)');
  console.table([...(await benchClientCredentials('ES256', 21100)), ...(await benchClientCredentials('RS256', 21200))]);
}

// Benchmarks of other parts, each a script that prints its own comparison.
for (const script of [
  'kit-verify.ts',
  'kit-dpop.ts',
  'hashed-client-secret.ts',
  'admin-users-list.ts',
  'redis-throughput.ts',
  'redis-round-trips.ts',
  'token-exchange.ts',
  'login-flow.ts',
  'userinfo-introspection.ts',
  'revocation.ts',
  'tracing.ts',
  'metrics.ts',
]) {
  const name = script.replace(/\.ts$/, '');
  if ((only && only !== name) || !existsSync(join(ROOT, 'bench', script))) continue;
  console.log(`\n${name}`);
  const run = spawnSync(process.execPath, [join('bench', script)], { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (run.status !== 0) process.exitCode = 1;
}
