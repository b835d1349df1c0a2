import { pooledIdGenerator } from '../../src/observability/tracing-ids.ts';

describe('span and trace ids from a pool of random bytes', () => {
  test('are lowercase hex of W3C length, never all zero, and never repeat across pool refills', () => {
    const ids = pooledIdGenerator();
    // 3,000 span ids and 3,000 trace ids draw 72,000 bytes: the 4 KiB pool is refilled 17 times.
    const spanIds = Array.from({ length: 3000 }, () => ids.generateSpanId());
    const traceIds = Array.from({ length: 3000 }, () => ids.generateTraceId());
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[\da-f]{16}$/);
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[\da-f]{32}$/);
    expect(new Set(spanIds).size).toBe(spanIds.length);
    expect(new Set(traceIds).size).toBe(traceIds.length);
  });

  test('two generators do not share their pool', () => {
    const [a, b] = [pooledIdGenerator(), pooledIdGenerator()];
    expect(a.generateTraceId()).not.toBe(b.generateTraceId());
  });
});
