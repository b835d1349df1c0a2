import { liveInteraction } from './live-interaction.ts';
import { rssMiB, startFuzzTarget } from './fuzz-target.ts';
import { runFuzz } from './run-fuzz.ts';
import type { TesseraProcess } from '../support/tessera.ts';

let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startFuzzTarget();
});

afterAll(async () => {
  await tessera.stop();
});

// The small, seeded run of `npm run fuzz`: every endpoint, forms inside real interactions.
test("2,000 malformed requests: no 5xx, no internal detail, every 4xx in Tessera's words, the process stays up", async () => {
  const before = rssMiB(tessera.process.pid!);
  const result = await runFuzz({
    port: tessera.port,
    seed: 2026,
    requests: 2000,
    concurrency: 8,
    interactionShare: 0.25,
    limits: { maxBody: 10 * 1024 * 1024, maxParams: 20_000 },
    interaction: () => liveInteraction(tessera.url),
  });
  expect(result.requests).toBe(2000);
  expect(result.failures).toEqual([]);
  expect(Object.keys(result.statuses).filter((status) => Number(status) >= 500)).toEqual([]);
  // The run reaches the engine, the interactions and Node's parser, not one refusal path only.
  expect(Object.keys(result.statuses)).toEqual(expect.arrayContaining(['200', '400', '404', '431']));
  expect(tessera.process.exitCode).toBeNull();
  expect((await fetch(`${tessera.url}/healthz`)).status).toBe(200);
  expect(tessera.logs().filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
  expect(rssMiB(tessera.process.pid!)).toBeLessThan(before + 300);
}, 180_000);
