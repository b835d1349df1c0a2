import type { Redis } from 'ioredis';
import { errors } from 'oidc-provider';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

import { redisKeys } from './redis-keys.ts';
import { StorageUnavailableError } from './storage-unavailable.ts';

// KEYS[1] the record. ARGV: now, key prefix. Marks the record consumed unless it already is
// (compare-and-set on the hash field). A second redemption is a replay: the whole grant family
// goes, as the engine does when it meets a consumed code or refresh token.
// Returns 1 consumed now, 0 replay (family revoked), -1 no such record.
const CONSUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 1 end
local grantId = redis.call('HGET', KEYS[1], 'grantId')
if grantId then
  local index = ARGV[2] .. 'grant-index:' .. grantId
  for _, key in ipairs(redis.call('LRANGE', index, 0, -1)) do redis.call('DEL', key) end
  redis.call('DEL', index, ARGV[2] .. 'Grant:' .. grantId)
end
return 0`;

// KEYS[1] the grant index: deletes every member, then the index itself.
const REVOKE_GRANT = `
local members = redis.call('LRANGE', KEYS[1], 0, -1)
for _, key in ipairs(members) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #members`;

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw new StorageUnavailableError(err);
  }
}

/**
 * oidc-provider's storage on one Redis. Each record is a hash (`payload`, and `consumed` once
 * consumed) under `prefix`, with the model's TTL; a grant's index lists its members and lives
 * as long as the longest of them; uid and user-code pointers make those lookups O(1).
 */
export function createRedisAdapter({ redis, prefix }: { redis: Redis; prefix: string }): AdapterConstructor {
  const keys = redisKeys(prefix);

  return class RedisAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = keys.record(this.model, id);
      const multi = redis.multi().del(key).hset(key, 'payload', JSON.stringify(payload), ...(payload.grantId ? ['grantId', payload.grantId] : []));
      const pointers = [key];
      if (payload.grantId) {
        const index = keys.grantIndex(payload.grantId);
        multi.rpush(index, key);
        // The index lives as long as its longest member: extend it, never shorten it.
        if (expiresIn) multi.expire(index, expiresIn, 'GT').expire(index, expiresIn, 'NX');
      }
      if (payload.uid) pointers.push(keys.uid(payload.uid));
      if (payload.userCode) pointers.push(keys.userCode(payload.userCode));
      for (const pointer of pointers.slice(1)) multi.set(pointer, id);
      if (expiresIn) for (const pointer of pointers) multi.expire(pointer, expiresIn);
      await guarded(() => multi.exec());
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const [payload, consumed] = await guarded(() => redis.hmget(keys.record(this.model, id), 'payload', 'consumed'));
      if (!payload) return undefined;
      return { ...JSON.parse(payload) as AdapterPayload, ...(consumed ? { consumed: Number(consumed) } : {}) };
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await guarded(() => redis.get(keys.uid(uid)));
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await guarded(() => redis.get(keys.userCode(userCode)));
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const outcome = await guarded(() => redis.eval(CONSUME, 1, keys.record(this.model, id), Math.floor(Date.now() / 1000), prefix));
      // Of concurrent redemptions exactly one gets 1; the others see a replay or a revoked record.
      if (outcome !== 1) throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      await guarded(() => redis.del(keys.record(this.model, id)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await guarded(() => redis.eval(REVOKE_GRANT, 1, keys.grantIndex(grantId)));
    }
  };
}
