import { randomUUID } from 'node:crypto';

import type { RedisClient } from '../accounts/redis-client.ts';
import { redisScript } from '../../adapters/redis/redis-script.ts';
import { covers, REVOKED_CLAIMS } from './revocation-entry.ts';
import type { RevocationEntry, RevokedClaim } from './revocation-entry.ts';
import { ADD_ENTRIES, READ_ENTRIES } from './revocation-scripts.ts';
import { systemClock } from './revocation-store.ts';
import type { Clock, RevocationStore } from './revocation-store.ts';

const add = redisScript(ADD_ENTRIES);
const read = redisScript(READ_ENTRIES);

/** The Redis keys of the revocation log under `prefix`: one hash tag, so one Cluster slot. */
export function revocationKeys(prefix: string): string[] {
  return ['seq', 'log', 'exp', 'data', 'epoch'].map((name) => `${prefix}{revocations}:${name}`);
}

function parse(member: string, data: string): RevocationEntry | undefined {
  const space = member.indexOf(' ');
  if (!data || space < 0) return undefined;
  const [exp, iatMax] = JSON.parse(data) as [number, number?];
  return { claim: member.slice(0, space) as RevokedClaim, value: member.slice(space + 1), exp, ...(iatMax === undefined ? {} : { iat_max: iatMax }) };
}

/**
 * The revocation store on Redis (standalone, Sentinel or Cluster), shared by every instance:
 * the contract of {@link RevocationStore}; writes and reads are one Lua script each, and a
 * lookup is one HMGET. Every key expires with the longest entry it holds.
 */
export function createRedisRevocationStore({ redis, prefix, clock = systemClock }: { redis: RedisClient; prefix: string; clock?: Clock }): RevocationStore {
  const keys = revocationKeys(prefix);
  const data = keys[3]!;
  return {
    async add(entries) {
      if (!entries.length) return;
      const args = entries.flatMap((e) => [`${e.claim} ${e.value}`, String(e.exp), e.iat_max === undefined ? '' : String(e.iat_max)]);
      await add(redis, keys, [String(clock()), randomUUID(), ...args]);
    },
    async read(since, limit) {
      const now = clock();
      const [epoch, last, ...rows] = (await read(redis, keys, [String(since), String(limit)])) as [string, number, ...string[]];
      const entries: RevocationEntry[] = [];
      let cursor = 0;
      for (let i = 0; i < rows.length; i += 3) {
        const entry = parse(rows[i]!, rows[i + 2]!);
        cursor = Number(rows[i + 1]);
        if (entry && entry.exp >= now) entries.push(entry);
      }
      const more = rows.length / 3 === limit && cursor < last;
      return { epoch, since, cursor: more ? cursor : Number(last), more, entries };
    },
    async isRevoked(claims) {
      const asked = REVOKED_CLAIMS.filter((claim) => typeof claims[claim] === 'string');
      if (!asked.length) return false;
      const found = await redis.hmget(data, ...asked.map((claim) => `${claim} ${claims[claim] as string}`));
      const now = clock();
      return found.some((value, i) => {
        const entry = value ? parse(`${asked[i]} x`, value) : undefined;
        return entry !== undefined && entry.exp >= now && covers(entry, claims);
      });
    },
  };
}
