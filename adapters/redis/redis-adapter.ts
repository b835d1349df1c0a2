import type { Redis } from 'ioredis';
import { errors } from 'oidc-provider';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

import { redisKeys } from './redis-keys.ts';
import { StorageUnavailableError } from './storage-unavailable.ts';

/** Models the engine consumes: their upsert also clears a consumed marker. */
const CONSUMABLE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

// KEYS[1] the record, KEYS[2] its consumed marker. ARGV: now, key prefix, grace seconds. Sets
// the marker unless it is already set (compare-and-set). A second redemption within the grace
// period (refresh tokens only, when configured) is let through; after it, it is a replay: the
// whole grant family goes, as the engine does when it meets a consumed code or refresh token.
// Returns 1 consumed now, 0 replay (family revoked), -1 no such record.
const CONSUME = `
local value = redis.call('GET', KEYS[1])
if not value then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = 86400000 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ttl) then return 1 end
if tonumber(ARGV[1]) - tonumber(redis.call('GET', KEYS[2]) or 0) < tonumber(ARGV[3]) then return 1 end
local grantId = cjson.decode(value).grantId
if grantId then
  local index = ARGV[2] .. 'grant-index:' .. grantId
  for _, key in ipairs(redis.call('LRANGE', index, 0, -1)) do redis.call('DEL', key, key .. ':consumed') end
  redis.call('DEL', index, ARGV[2] .. 'Grant:' .. grantId)
end
return 0`;

// KEYS[1] the grant index: deletes every member (and its consumed marker), then the index.
const REVOKE_GRANT = `
local members = redis.call('LRANGE', KEYS[1], 0, -1)
for _, key in ipairs(members) do redis.call('DEL', key, key .. ':consumed') end
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
 * oidc-provider's storage on one Redis. Each record is its JSON payload under `prefix`, with the
 * model's TTL, and a `:consumed` marker once consumed; a grant's index lists its members and
 * lives as long as the longest of them; uid and user-code pointers make those lookups O(1).
 * A record that belongs to nothing else is one SET; the others are one MULTI.
 */
export function createRedisAdapter({ redis, prefix, refreshTokenGrace = 0 }: {
  redis: Redis;
  prefix: string;
  /** Seconds after its first use in which a refresh token may be used again (two tabs refreshing at once). */
  refreshTokenGrace?: number;
}): AdapterConstructor {
  const keys = redisKeys(prefix);

  return class RedisAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = keys.record(this.model, id);
      const value = JSON.stringify(payload);
      const pointers = [payload.uid && keys.uid(payload.uid), payload.userCode && keys.userCode(payload.userCode)].filter(Boolean) as string[];
      if (!payload.grantId && !pointers.length && !CONSUMABLE.has(this.model)) {
        await guarded(() => (expiresIn ? redis.set(key, value, 'EX', expiresIn) : redis.set(key, value)));
        return;
      }
      const multi = redis.multi().del(keys.consumed(key));
      if (expiresIn) multi.set(key, value, 'EX', expiresIn);
      else multi.set(key, value);
      for (const pointer of pointers) {
        if (expiresIn) multi.set(pointer, id, 'EX', expiresIn);
        else multi.set(pointer, id);
      }
      if (payload.grantId) {
        const index = keys.grantIndex(payload.grantId);
        multi.rpush(index, key);
        // The index lives as long as its longest member: extend it, never shorten it.
        if (expiresIn) multi.expire(index, expiresIn, 'GT').expire(index, expiresIn, 'NX');
      }
      await guarded(() => multi.exec());
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const key = keys.record(this.model, id);
      const [payload, consumed] = await guarded(() => redis.mget(key, keys.consumed(key)));
      if (!payload) return undefined;
      const record = JSON.parse(payload) as AdapterPayload;
      if (!consumed) return record;
      // Within the grace period a used refresh token still looks unused to the engine.
      const graceful = this.model === 'RefreshToken' && Date.now() / 1000 - Number(consumed) < refreshTokenGrace;
      return graceful ? record : { ...record, consumed: Number(consumed) };
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
      const key = keys.record(this.model, id);
      const outcome = await guarded(() => redis.eval(CONSUME, 2, key, keys.consumed(key), Math.floor(Date.now() / 1000), prefix,
        this.model === 'RefreshToken' ? refreshTokenGrace : 0));
      // Of concurrent redemptions exactly one gets 1; the others see a replay or a revoked record.
      if (outcome !== 1) throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      const key = keys.record(this.model, id);
      await guarded(() => redis.del(key, keys.consumed(key)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await guarded(() => redis.eval(REVOKE_GRANT, 1, keys.grantIndex(grantId)));
    }
  };
}
