import type { Cluster, Redis } from 'ioredis';
import { errors } from 'oidc-provider';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

import { FAMILY_POINTER, redisKeys } from './redis-keys.ts';
import { consumeScript, revokeFamilyScript } from './redis-scripts.ts';
import { StorageUnavailableError } from './storage-unavailable.ts';

/** Models the engine consumes: their upsert also clears a consumed marker. */
const CONSUMABLE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof errors.OIDCProviderError) throw err;
    throw new StorageUnavailableError(err);
  }
}

export interface RedisAdapterOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  /** Seconds after its first use in which a refresh token may be used again (two tabs refreshing at once). */
  readonly refreshTokenGrace?: number;
  /**
   * Called, and awaited, when a grant ends: its Grant record is destroyed, or a replayed code or
   * refresh token revoked its family. Its JWT access tokens are not stored, so this is what ends them.
   */
  readonly onGrantEnd?: (grantId: string) => Promise<void>;
}

/**
 * oidc-provider's storage on Redis — standalone, Sentinel-managed or Cluster. Records are JSON
 * with the model's TTL; the members of a grant family share one slot with the family's index
 * (which lives as long as its longest member) and are reached through a one-slot entry key;
 * uid and user-code pointers make those lookups O(1). See README.md for the layout.
 */
export function createRedisAdapter({ redis, prefix, refreshTokenGrace = 0, onGrantEnd }: RedisAdapterOptions): AdapterConstructor {
  const keys = redisKeys(prefix);
  const setWithTtl = (key: string, value: string, ttl?: number) => (ttl ? redis.set(key, value, 'EX', ttl) : redis.set(key, value));

  return class RedisAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    /** The key of the record itself, following a family pointer; undefined when there is none. */
    async locate(id: string): Promise<{ key: string; grantId?: string } | undefined> {
      if (this.model === 'Grant') return { key: keys.grant(id), grantId: id };
      const entry = keys.entry(this.model, id);
      const value = await guarded(() => redis.get(entry));
      if (value === null) return undefined;
      if (!value.startsWith(FAMILY_POINTER)) return { key: entry };
      const grantId = value.slice(FAMILY_POINTER.length);
      return { key: keys.member(grantId, this.model, id), grantId };
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const value = JSON.stringify(payload);
      const grantId = this.model === 'Grant' ? id : payload.grantId;
      const pointers = [payload.uid && keys.uid(payload.uid), payload.userCode && keys.userCode(payload.userCode)].filter(Boolean) as string[];
      const writes: Promise<unknown>[] = pointers.map((pointer) => setWithTtl(pointer, id, expiresIn));
      if (!grantId) {
        const entry = keys.entry(this.model, id);
        if (CONSUMABLE.has(this.model)) {
          const multi = redis.multi().del(keys.consumed(entry));
          writes.push((expiresIn ? multi.set(entry, value, 'EX', expiresIn) : multi.set(entry, value)).exec());
        } else {
          writes.push(setWithTtl(entry, value, expiresIn));
        }
      } else {
        const record = this.model === 'Grant' ? keys.grant(id) : keys.member(grantId, this.model, id);
        if (this.model !== 'Grant') writes.push(setWithTtl(keys.entry(this.model, id), `${FAMILY_POINTER}${grantId}`, expiresIn));
        // The family's part is one transaction in one slot: all of it is written, or none.
        const multi = redis.multi().del(keys.consumed(record));
        if (expiresIn) multi.set(record, value, 'EX', expiresIn);
        else multi.set(record, value);
        const index = keys.index(grantId);
        multi.rpush(index, record);
        // The index lives as long as its longest member: extended, never shortened.
        if (expiresIn) multi.expire(index, expiresIn, 'GT').expire(index, expiresIn, 'NX');
        writes.push(multi.exec());
      }
      await guarded(() => Promise.all(writes));
    }

    /**
     * A record's value and its consumed marker. A record outside a grant family is read in one
     * round trip (its entry key and marker share a slot); a family member takes a second, after
     * its pointer.
     */
    async read(id: string): Promise<(string | null)[]> {
      const key = this.model === 'Grant' ? keys.grant(id) : keys.entry(this.model, id);
      const [value, consumed] = await guarded(() => redis.mget(key, keys.consumed(key)));
      if (this.model === 'Grant' || !value?.startsWith(FAMILY_POINTER)) return [value ?? null, consumed ?? null];
      const member = keys.member(value.slice(FAMILY_POINTER.length), this.model, id);
      return guarded(() => redis.mget(member, keys.consumed(member)));
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const [payload, consumed] = await this.read(id);
      if (!payload || payload.startsWith(FAMILY_POINTER)) return undefined;
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
      const found = await this.locate(id);
      if (!found) throw new errors.InvalidGrant(`${this.model} not found`);
      const family = found.grantId ? [keys.index(found.grantId), keys.grant(found.grantId)] : [found.key, found.key];
      const grace = this.model === 'RefreshToken' ? refreshTokenGrace : 0;
      const outcome = await guarded(() => consumeScript(redis, [found.key, keys.consumed(found.key), ...family], [Math.floor(Date.now() / 1000), grace]));
      // Of concurrent redemptions exactly one gets 1; the others see a replay or a revoked record.
      if (outcome === 0 && found.grantId && onGrantEnd) await guarded(() => onGrantEnd(found.grantId!));
      if (outcome !== 1) throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      const found = await this.locate(id);
      if (!found) return;
      if (this.model === 'Grant' && onGrantEnd) await guarded(() => onGrantEnd(id));
      await guarded(() => redis.del(found.key, keys.consumed(found.key)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await guarded(() => revokeFamilyScript(redis, [keys.index(grantId)], []));
    }
  };
}
