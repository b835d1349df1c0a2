// Cost of OpenTelemetry tracing on client_credentials: the same Tessera (ES256, in-memory
// store) with tracing off, and on with every span exported over OTLP/HTTP (JSON) to a receiver
// on loopback, in this process. Goal: on ≥ 0.85 × off. Each server runs on core 1, the load
// generator and the receiver on core 0; every round starts both servers afresh and alternates
// their order; medians and the median of the per-round ratios are printed, with the number of
// spans the receiver took (a run that exports nothing measures nothing).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { prepare, REQUEST } from './client-credentials.ts';
import { load, median } from './lib/load.ts';
import type { LoadResult } from './lib/load.ts';
import { startServer } from './lib/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 10;
const PORT = 21700;
type Name = 'off' | 'on';

/** Counts the spans of every OTLP/HTTP JSON export it is sent. */
async function startReceiver(): Promise<{ url: string; spans: () => number; close: () => void }> {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
      for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans: () => spans, close: () => server.close() };
}

const { dir, configFile } = prepare('ES256');
const receiver = await startReceiver();
const env = (port: number): Record<string, string> => ({
  CERTS_DIR: dir, CONFIG_FILE: configFile, HOST: '127.0.0.1', ISSUER: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info', NODE_ENV: 'development',
  OTEL_TRACES_EXPORTER: 'none',
});
const results: Record<Name, LoadResult[]> = { off: [], on: [] };
for (let round = 0; round < ROUNDS; round++) {
  const servers = {
    off: await startServer(['src/main.ts'], env(PORT), PORT),
    on: await startServer(['src/main.ts'], { ...env(PORT + 1), OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url }, PORT + 1),
  };
  try {
    for (const server of Object.values(servers)) await load({ url: `${server.url}/token`, seconds: 2, connections: CONNECTIONS, ...REQUEST });
    for (const name of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const result = await load({ url: `${servers[name].url}/token`, seconds: SECONDS, connections: CONNECTIONS, ...REQUEST });
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      results[name].push(result);
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}
receiver.close();
const ratio = median(results.on.map((r, i) => r.rps / results.off[i]!.rps));
console.table((['off', 'on'] as const).map((name) => ({
  tracing: name,
  'tokens/s': Math.round(median(results[name].map((r) => r.rps))),
  'p50 ms': median(results[name].map((r) => r.p50)),
  'p99 ms': median(results[name].map((r) => r.p99)),
})));
console.log(`tracing on / off: ${ratio.toFixed(3)} × (goal ≥ 0.85); spans received: ${receiver.spans()}`);
if (receiver.spans() === 0) {
  console.error('the receiver took no spans: tracing was not on');
  process.exitCode = 1;
}
