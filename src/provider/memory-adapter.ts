import { errors } from 'oidc-provider';
import type { Adapter, AdapterFactory } from 'oidc-provider';

import { createBoundedCache } from '../support/bounded-cache.ts';
import { engineMemoryAdapter } from './engine/memory-adapter.ts';

/** How many consumed ids the in-memory store remembers (it keeps at most 1000 records itself). */
const REMEMBERED = 10_000;

/**
 * oidc-provider's in-memory store (single instance, lost on restart), made explicitly so that
 * the one start-up warning about it is Tessera's, with the store contract Tessera's Redis store
 * keeps: `consume` is a compare-and-set, and a second redemption revokes the grant family;
 * `onGrantEnd` is awaited whenever a grant ends (its Grant destroyed, or its family revoked).
 */
export function memoryAdapter(onGrantEnd: (grantId: string) => Promise<void> = async () => {}): AdapterFactory {
  const base = engineMemoryAdapter();
  const consumed = createBoundedCache<string, true>(REMEMBERED);
  return (model: string): Adapter => {
    const inner = base(model);
    return {
      upsert: (id, payload, expiresIn) => inner.upsert(id, payload, expiresIn),
      find: (id) => inner.find(id),
      findByUid: (uid) => inner.findByUid(uid),
      findByUserCode: (userCode) => inner.findByUserCode(userCode),
      async destroy(id) {
        if (model === 'Grant') await onGrantEnd(id);
        await inner.destroy(id);
      },
      revokeByGrantId: (grantId) => inner.revokeByGrantId(grantId),
      async consume(id) {
        const key = `${model}:${id}`;
        // Checked and marked before the first await: of concurrent calls exactly one passes.
        if (consumed.peek(key)) {
          const record = await inner.find(id);
          if (record?.grantId) {
            await onGrantEnd(record.grantId);
            await Promise.all([inner.revokeByGrantId(record.grantId), base('Grant').destroy(record.grantId)]);
          }
          throw new errors.InvalidGrant(`${model} already consumed`);
        }
        consumed.set(key, true);
        if (!(await inner.find(id))) throw new errors.InvalidGrant(`${model} not found`);
        await inner.consume(id);
      },
    };
  };
}
