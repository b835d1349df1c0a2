// Cost of OpenTelemetry tracing on client_credentials: the same Tessera (ES256, in-memory
// store) with tracing off, and on with every span exported over OTLP/HTTP (JSON) to a receiver
// on loopback, in this process. Goal: on ≥ 0.85 × off. Each server runs on core 1; the load
// generator, and this process with its receiver, on core 0, so the receiver never takes the
// server's core (it only counts spans, without parsing them). Every round starts both servers
// afresh and alternates their order; medians and the median of the per-round ratios are printed,
// by tokens/s and by the server's CPU time per token (steadier on a shared machine), with the
// spans the receiver took per token issued (two: a run that exports nothing measures nothing).
// First, the bare SDK's own cost per token (bench/lib/sdk-span-cost.ts), the floor of the cost.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { prepare, REQUEST } from './client-credentials.ts';
import { cpuSeconds } from './lib/cpu-time.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';
import { sdkSpanCost } from './lib/sdk-span-cost.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
/**
 * Load before the timed window, per server and round: V8 is still compiling Tessera's and the
 * SDK's code for the first seconds (after 2 s of load its compiler threads optimized some 400–500
 * functions in the next 5 s, the traced server more; after 15 s, 23 and 33), and that startup work
 * fell more on the traced server. The timed window measures the steady state a running instance is in.
 */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 12);
const PORT = 21700;
type Name = 'off' | 'on';

const SPAN_ID = Buffer.from('"spanId":"');

/** Counts the spans of every OTLP/HTTP JSON export it is sent: each span has one `spanId` (a parent's is `parentSpanId`). */
async function startReceiver(): Promise<{ url: string; spans: () => number; close: () => void }> {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      for (let at = body.indexOf(SPAN_ID); at !== -1; at = body.indexOf(SPAN_ID, at + SPAN_ID.length)) spans++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans: () => spans, close: () => server.close() };
}

/** A measured run: throughput and the server's CPU time per token (µs). */
interface Measured extends LoadResult {
  readonly cpuPerToken: number;
}

// This process (the receiver) joins the load generator on core 0, away from the servers' core 1.
spawnSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
const sdk = await sdkSpanCost();
console.log(
  `bare SDK, two spans per token: ${sdk.spansOnly.toFixed(1)} µs of CPU per token (${Math.round(2e6 / sdk.spansOnly)} spans/s on one core), ` +
    `${sdk.serialized.toFixed(1)} µs with OTLP JSON serialization (${Math.round(2e6 / sdk.serialized)} spans/s)`,
);
const { dir, configFile } = prepare('ES256');
const receiver = await startReceiver();
const env = (port: number): Record<string, string> => ({
  CERTS_DIR: dir,
  CONFIG_FILE: configFile,
  HOST: '127.0.0.1',
  ISSUER: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'info',
  NODE_ENV: 'development',
  OTEL_TRACES_EXPORTER: 'none',
});
// BENCH_PROFILE_DIR runs both servers under `node --cpu-prof`, their profiles written there on exit.
const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
const results: Record<Name, Measured[]> = { off: [], on: [] };
let tokensOn = 0;
for (let round = 0; round < ROUNDS; round++) {
  const servers = {
    off: await startServer([...profile, 'src/main.ts'], env(PORT), PORT),
    on: await startServer(
      [...profile, 'src/main.ts'],
      { ...env(PORT + 1), OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
      PORT + 1,
    ),
  };
  try {
    for (const [name, server] of Object.entries(servers)) {
      const warm = await load({ url: `${server.url}/token`, seconds: WARM_SECONDS, connections: CONNECTIONS, ...REQUEST });
      if (name === 'on') tokensOn += warm.rps * WARM_SECONDS;
    }
    for (const name of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const before = cpuSeconds(servers[name].pid);
      const result = await load({ url: `${servers[name].url}/token`, seconds: SECONDS, connections: CONNECTIONS, ...REQUEST });
      const after = cpuSeconds(servers[name].pid);
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      if (name === 'on') tokensOn += result.rps * SECONDS;
      const cpuPerToken = before === undefined || after === undefined ? Number.NaN : ((after - before) * 1e6) / (result.rps * SECONDS);
      results[name].push({ ...result, cpuPerToken });
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}
receiver.close();
const ratio = median(results.on.map((r, i) => r.rps / results.off[i]!.rps));
const cpuRatio = median(results.on.map((r, i) => results.off[i]!.cpuPerToken / r.cpuPerToken));
console.table(
  (['off', 'on'] as const).map((name) => ({
    tracing: name,
    'tokens/s': Math.round(median(results[name].map((r) => r.rps))),
    'p50 ms': median(results[name].map((r) => r.p50)),
    'p99 ms': median(results[name].map((r) => r.p99)),
    'CPU µs/token': Math.round(median(results[name].map((r) => r.cpuPerToken))),
  })),
);
const offCpu = median(results.off.map((r) => r.cpuPerToken));
console.log(
  `tracing on / off: ${ratio.toFixed(3)} × by tokens/s, ${cpuRatio.toFixed(3)} × by CPU time per token (goal ≥ 0.85); ` +
    `the bare SDK's floor alone would allow ${(offCpu / (offCpu + sdk.serialized)).toFixed(3)} ×`,
);
console.log(`spans received: ${receiver.spans()}, ${(receiver.spans() / tokensOn).toFixed(2)} per token issued with tracing on`);
if (receiver.spans() === 0) {
  console.error('the receiver took no spans: tracing was not on');
  process.exitCode = 1;
}
