import { randomFillSync } from 'node:crypto';

import type { IdGenerator } from '@opentelemetry/sdk-trace-node';

const POOL_BYTES = 4096;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Trace and span ids cut from a pool of random bytes that one `randomFillSync` call refills every
 * 512 span ids, instead of the SDK's default of a `Math.random` call and a buffer write per four
 * bytes of every id. An all-zero id (invalid in W3C trace context) is drawn again.
 */
export function pooledIdGenerator(): IdGenerator {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let at = POOL_BYTES;
  const draw = (bytes: number, zero: string): string => {
    for (;;) {
      if (at + bytes > POOL_BYTES) {
        randomFillSync(pool);
        at = 0;
      }
      const id = pool.toString('hex', at, at + bytes);
      at += bytes;
      if (id !== zero) return id;
    }
  };
  return { generateTraceId: () => draw(16, ZERO_TRACE_ID), generateSpanId: () => draw(8, ZERO_SPAN_ID) };
}
