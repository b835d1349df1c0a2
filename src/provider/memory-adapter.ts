import type { AdapterConstructor } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

/**
 * oidc-provider's in-memory store (single instance, lost on restart), made explicitly so that
 * the one start-up warning about it is Tessera's.
 */
export function memoryAdapter(): AdapterConstructor {
  return createMemoryAdapter(0) as AdapterConstructor;
}
