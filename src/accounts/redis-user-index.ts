import type { AccountKeys } from './account-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { Account } from './user-store.ts';

/** The sorted indexes of the Redis user store: pages and prefix searches that read only what they return. */
export interface UserIndex {
  /** At most `limit` accounts whose usernames sort after `after`, by username. */
  page(after: string | undefined, limit: number): Promise<Account[]>;
  /** At most `limit` accounts after `after` whose username or (lower-case) email starts with `prefix`, by username. */
  search(prefix: string, after: string | undefined, limit: number): Promise<Account[]>;
  /** Adds every account of the username HASH to the sorted indexes (idempotent); how many. */
  rebuild(): Promise<number>;
}

/** The email index member of an account: `<lower-case email>\0<username>`; empty without an email. */
export const emailMember = (email: string | undefined, username: string): string => (email ? `${email.toLowerCase()}\0${username}` : '');

const BATCH = 500;
const upTo = (prefix: string): Buffer => Buffer.concat([Buffer.from(`[${prefix}`), Buffer.from([0xff])]);

/**
 * The indexes are hints, checked against the accounts they name: a member whose account is gone
 * or no longer matches (a delete racing a rebuild, an email changed) is dropped when met. A store
 * written before the indexes existed has them built on first use, from the username HASH.
 */
export function createUserIndex({
  redis,
  keys,
  read,
}: {
  redis: RedisClient;
  keys: AccountKeys;
  read: (id: string) => Promise<Account | undefined>;
}): UserIndex {
  async function rebuild(): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, flat] = await redis.hscan(keys.usernames, cursor, 'COUNT', BATCH);
      cursor = next;
      const pairs = Array.from({ length: flat.length / 2 }, (_v, i) => ({ username: flat[2 * i]!, id: flat[2 * i + 1]! }));
      if (!pairs.length) continue;
      const emails = await Promise.all(pairs.map((p) => redis.hget(keys.account(p.id), 'email')));
      await redis.zadd(keys.byUsername, ...pairs.flatMap((p) => [0, p.username]));
      const members = pairs.flatMap((p, i) => (emails[i] ? [0, emailMember(emails[i]!, p.username)] : []));
      if (members.length) await redis.zadd(keys.byEmail, ...members);
      count += pairs.length;
    } while (cursor !== '0');
    await redis.set(keys.indexed, '1');
    return count;
  }

  // Checked on every read, so deleting the marker has every instance rebuild on its next list.
  const ensure = async (): Promise<void> => {
    if (!(await redis.exists(keys.indexed))) await rebuild();
  };

  /** The live accounts of usernames, in their order; members with no account are dropped from the index. */
  async function resolve(usernames: readonly string[]): Promise<Account[]> {
    if (!usernames.length) return [];
    const ids = await redis.hmget(keys.usernames, ...usernames);
    const stale = usernames.filter((_u, i) => !ids[i]);
    if (stale.length) await redis.zrem(keys.byUsername, ...stale);
    const accounts = await Promise.all(ids.map((id) => (id ? read(id) : undefined)));
    return accounts.filter((a) => a !== undefined);
  }

  /** Up to `limit` live accounts of the username index from `min` to `max` (lexical bounds). */
  async function range(min: string, max: string | Buffer, limit: number): Promise<Account[]> {
    const found: Account[] = [];
    let from = min;
    while (found.length < limit) {
      const want = limit - found.length;
      const names = await redis.zrangebylex(keys.byUsername, from, max, 'LIMIT', 0, want);
      found.push(...(await resolve(names)));
      if (names.length < want) break;
      from = `(${names.at(-1)!}`;
    }
    return found;
  }

  return {
    rebuild,
    async page(after, limit) {
      await ensure();
      return range(after === undefined ? '-' : `(${after}`, '+', limit);
    },
    async search(prefix, after, limit) {
      await ensure();
      const byName = await range(after !== undefined && after >= prefix ? `(${after}` : `[${prefix}`, upTo(prefix), limit);
      // An email prefix costs what it matches (members only), never the whole store.
      const hits = await redis.zrangebylex(keys.byEmail, `[${prefix}`, upTo(prefix));
      const named = new Set(byName.map((a) => a.username));
      const candidates = [...new Set(hits.map((m) => m.slice(m.indexOf('\0') + 1)))].filter((u) => (after === undefined || u > after) && !named.has(u)).sort();
      const checked = new Map<string, Account | undefined>();
      const byEmail: Account[] = [];
      for (let i = 0; i < candidates.length && byEmail.length < limit; i += limit) {
        const slice = candidates.slice(i, i + limit);
        const accounts = new Map((await resolve(slice)).map((a) => [a.username, a]));
        for (const u of slice) checked.set(u, accounts.get(u));
        byEmail.push(...slice.flatMap((u) => (accounts.get(u)?.email?.toLowerCase().startsWith(prefix) ? [accounts.get(u)!] : [])));
      }
      const stale = hits.filter((m) => {
        const username = m.slice(m.indexOf('\0') + 1);
        return checked.has(username) && emailMember(checked.get(username)?.email, username) !== m;
      });
      if (stale.length) await redis.zrem(keys.byEmail, ...stale);
      return [...byName, ...byEmail].sort((a, b) => (a.username < b.username ? -1 : 1)).slice(0, limit);
    },
  };
}
