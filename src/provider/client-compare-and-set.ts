import { createHash } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';
import type { Adapter, AdapterPayload } from 'oidc-provider';

import { redisKeys } from '../../adapters/redis/redis-keys.ts';
import { redisScript } from '../../adapters/redis/redis-script.ts';

/**
 * KEYS: the client's record. ARGV: expected revision (SHA-1 of the stored JSON), new JSON
 * (empty: delete). 1 written, 0 no such client, -2 another revision: nothing is written unless 1.
 */
const clientCompareAndSet = redisScript(`
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if redis.sha1hex(current) ~= ARGV[1] then return -2 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`);

/** The client has changed since the revision a conditional change was made from. */
export class ClientChangedError extends Error {
  constructor(clientId: string) {
    super(`client ${clientId} has changed since it was read`);
    this.name = 'ClientChangedError';
  }
}

/** The revision of a stored client: the SHA-1 of its record as the Redis adapter stores it (its JSON). */
export const clientRevision = (record: object): string => createHash('sha1').update(JSON.stringify(record)).digest('hex');

/**
 * Replaces (or, with `undefined`, deletes) a stored client; given `ifRevision`, only if its
 * record still has that revision, in one script: of concurrent changes from one revision exactly one is written.
 * Relies on the Redis adapter keeping a `Client` as its JSON under its entry key, with no TTL
 * (adapters/redis/redis-adapter.ts `upsert`); test/admin/client-compare-and-set.test.ts pins it.
 */
export function clientWriter(redis: Redis | Cluster, prefix: string, store: Adapter) {
  const keys = redisKeys(prefix);
  /** Writes (or deletes) a client; false when it is gone. Without `ifRevision` through the adapter, unconditionally. */
  return async (clientId: string, record: object | undefined, ifRevision: string | undefined): Promise<boolean> => {
    if (ifRevision === undefined) {
      await (record ? store.upsert(clientId, record as AdapterPayload) : store.destroy(clientId));
      return true;
    }
    const outcome = await clientCompareAndSet(redis, [keys.entry('Client', clientId)], [ifRevision, record ? JSON.stringify(record) : '']);
    if (outcome === -2) throw new ClientChangedError(clientId);
    return outcome === 1;
  };
}
