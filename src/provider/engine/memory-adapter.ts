// Fenced: oidc-provider's in-memory store is not part of its promised surface; it is reached by a
// deep import of lib/adapters/memory_adapter.js, whose `createMemoryAdapter(clockTolerance)` returns
// a factory of per-model adapters over one process-wide LRU. test/engine/memory-adapter.test.ts
// guards the seam.
import type { AdapterFactory } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

/** The engine's own in-memory store (single instance, lost on restart), as a factory of per-model adapters. */
export function engineMemoryAdapter(): AdapterFactory {
  if (typeof createMemoryAdapter !== 'function')
    throw new Error('oidc-provider no longer has lib/adapters/memory_adapter.js createMemoryAdapter; the memory store needs a review');
  return createMemoryAdapter(0) as AdapterFactory;
}
