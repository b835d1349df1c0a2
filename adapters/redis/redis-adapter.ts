import type { Redis } from 'ioredis';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

import { StorageUnavailableError } from './storage-unavailable.ts';

// Marks the record consumed and keeps its TTL; returns 0 when it does not exist.
const CONSUME = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local record = cjson.decode(value)
record.consumed = tonumber(ARGV[1])
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1`;

// Deletes every key listed in the grant index, then the index.
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
 * oidc-provider's storage on one Redis: every record under `prefix`, with the model's TTL; a
 * grant's index lists its members and lives as long as the longest of them.
 */
export function createRedisAdapter({ redis, prefix }: { redis: Redis; prefix: string }): AdapterConstructor {
  const keyFor = (model: string, id: string): string => `${prefix}${model}:${id}`;
  const grantKeyFor = (grantId: string): string => `${prefix}grant-index:${grantId}`;

  return class RedisAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = keyFor(this.model, id);
      const multi = redis.multi();
      const set = (k: string, value: string): void => {
        if (expiresIn) multi.set(k, value, 'EX', expiresIn);
        else multi.set(k, value);
      };
      set(key, JSON.stringify(payload));
      if (payload.grantId) {
        const grantKey = grantKeyFor(payload.grantId);
        multi.rpush(grantKey, key);
        if (expiresIn) multi.expire(grantKey, expiresIn, 'GT').expire(grantKey, expiresIn, 'NX');
      }
      if (payload.uid) set(keyFor('uid', payload.uid), id);
      if (payload.userCode) set(keyFor('user-code', payload.userCode), id);
      await guarded(() => multi.exec());
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const value = await guarded(() => redis.get(keyFor(this.model, id)));
      return value ? JSON.parse(value) as AdapterPayload : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await guarded(() => redis.get(keyFor('uid', uid)));
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await guarded(() => redis.get(keyFor('user-code', userCode)));
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      await guarded(() => redis.eval(CONSUME, 1, keyFor(this.model, id), Math.floor(Date.now() / 1000)));
    }

    async destroy(id: string): Promise<void> {
      await guarded(() => redis.del(keyFor(this.model, id)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await guarded(() => redis.eval(REVOKE_GRANT, 1, grantKeyFor(grantId)));
    }
  };
}
