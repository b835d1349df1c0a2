// `npm run fuzz`: a seeded, bounded fuzz run against a real Tessera on loopback (with its own
// redis-server unless REDIS_URL is set). FUZZ_REQUESTS (default 20000) and FUZZ_SEED (default 1)
// choose the run; it prints the statuses, every unacceptable answer, and the server's memory.
import { liveInteraction } from '../test/fuzz/live-interaction.ts';
import { rssMiB, startFuzzTarget } from '../test/fuzz/fuzz-target.ts';
import { runFuzz } from '../test/fuzz/run-fuzz.ts';
import { startRedis } from '../test/support/redis-server.ts';

const requests = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const redis = process.env.REDIS_URL ? undefined : await startRedis();
if (redis) process.env.REDIS_URL = redis.url;
const tessera = await startFuzzTarget();
const pid = tessera.process.pid!;
const before = rssMiB(pid);
const started = performance.now();
const result = await runFuzz({
  port: tessera.port,
  seed,
  requests,
  concurrency: 8,
  interactionShare: 0.25,
  limits: { maxBody: 10 * 1024 * 1024, maxParams: 20_000 },
  interaction: () => liveInteraction(tessera.url),
});
const seconds = (performance.now() - started) / 1000;
const alive = tessera.process.exitCode === null && (await fetch(`${tessera.url}/healthz`)).status === 200;
const after = rssMiB(pid);
const count = (test: (status: number) => boolean): number =>
  Object.entries(result.statuses)
    .filter(([s]) => test(Number(s)))
    .reduce((sum, [, n]) => sum + n, 0);
console.log(
  JSON.stringify(
    {
      seed,
      requests: result.requests,
      seconds: Math.round(seconds),
      statuses: result.statuses,
      '5xx': count((s) => s >= 500),
      'no answer': result.statuses.none ?? 0,
      'internal details': result.failures.filter((f) => f.reason === 'internal detail in the body').length,
      unacceptable: result.failures.length,
      'server alive': alive,
      'rss MiB before': before,
      'rss MiB after': after,
    },
    null,
    2,
  ),
);
for (const failure of result.failures.slice(0, Number(process.env.FUZZ_SHOW ?? 40))) console.log(JSON.stringify(failure));
const errors = tessera.logs().filter((line) => line.level === 'error' || line.level === 'fatal');
for (const line of errors.slice(0, Number(process.env.FUZZ_SHOW ?? 40))) console.log(JSON.stringify(line));
await tessera.stop();
await redis?.stop();
process.exitCode = result.failures.length || !alive ? 1 : 0;
