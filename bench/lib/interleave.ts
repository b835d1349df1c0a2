// Two in-process operations measured side by side: each round interleaves short slices of
// both, so that other load on the machine hits both alike.

/** One operation, awaited one after another. */
export type Operation = () => Promise<unknown>;

const BATCH = 32;

/** Runs `operation` sequentially for about `ms` milliseconds; returns [operations, elapsed ms]. */
export async function runFor(operation: Operation, ms: number): Promise<[number, number]> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < BATCH; i++) await operation();
    ops += BATCH;
  }
  return [ops, performance.now() - start];
}

/** One round of `slices` alternating slices of `sliceMs` per side; operations per second of each. */
export async function interleavedRound(a: Operation, b: Operation, aFirst: boolean, slices: number, sliceMs: number): Promise<{ a: number; b: number }> {
  const total = { a: [0, 0], b: [0, 0] };
  for (let slice = 0; slice < slices; slice++) {
    for (const side of (slice % 2 === 0) === aFirst ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const [ops, ms] = await runFor(side === 'a' ? a : b, sliceMs);
      total[side][0]! += ops;
      total[side][1]! += ms;
    }
  }
  return { a: total.a[0]! / (total.a[1]! / 1000), b: total.b[0]! / (total.b[1]! / 1000) };
}
