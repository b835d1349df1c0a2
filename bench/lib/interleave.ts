// Two in-process operations measured side by side: each round interleaves short slices of
// both, so that other load on the machine hits both alike.

/** One operation, awaited one after another. */
export type Operation = () => Promise<unknown>;

const BATCH = 32;

/** Runs `operation` sequentially for about `ms` milliseconds; returns [operations, elapsed ms, CPU ms of the process]. */
export async function runFor(operation: Operation, ms: number): Promise<[number, number, number]> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < BATCH; i++) await operation();
    ops += BATCH;
  }
  const { user, system } = process.cpuUsage(cpu);
  return [ops, performance.now() - start, (user + system) / 1000];
}

/** Per side: operations per second of wall-clock time, and microseconds of CPU (every thread of the process) per operation. */
export interface RoundResult {
  readonly a: number;
  readonly b: number;
  readonly aCpuMicros: number;
  readonly bCpuMicros: number;
}

/** One round of `slices` alternating slices of `sliceMs` per side. */
export async function interleavedRound(a: Operation, b: Operation, aFirst: boolean, slices: number, sliceMs: number): Promise<RoundResult> {
  const total = { a: [0, 0, 0], b: [0, 0, 0] };
  for (let slice = 0; slice < slices; slice++) {
    for (const side of (slice % 2 === 0) === aFirst ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const measured = await runFor(side === 'a' ? a : b, sliceMs);
      for (let i = 0; i < 3; i++) total[side][i]! += measured[i]!;
    }
  }
  const [aOps, aMs, aCpu] = total.a as [number, number, number];
  const [bOps, bMs, bCpu] = total.b as [number, number, number];
  return { a: aOps / (aMs / 1000), b: bOps / (bMs / 1000), aCpuMicros: (aCpu * 1000) / aOps, bCpuMicros: (bCpu * 1000) / bOps };
}
