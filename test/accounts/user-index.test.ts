import { Redis } from 'ioredis';

import { createMemoryUserStore } from '../../src/accounts/memory-user-store.ts';
import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import type { UserStore } from '../../src/accounts/user-store.ts';
import { UserStoreError } from '../../src/accounts/user-store-error.ts';
import { startRedis } from '../support/redis-server.ts';
import type { RedisProcess } from '../support/redis-server.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
const redis = new Redis(process.env.REDIS_URL!);
let run = 0;
const nextPrefix = (): string => `test-accounts-index:${++run}:`;
const names = (accounts: readonly { username: string }[]): string[] => accounts.map((a) => a.username);

afterAll(() => redis.quit());

async function seed(store: UserStore): Promise<void> {
  for (const [username, email] of [
    ['dave', 'Dave@Corp.example'],
    ['erin', 'erin@home.example'],
    ['frank', 'frank@corp.example'],
    ['corwin', undefined],
    ['bob', 'bob@home.example'],
  ] as const) {
    await store.create({ username, password: PASSWORD, ...(email ? { email } : {}) });
  }
}

const stores: [string, () => UserStore][] = [
  ['Redis', () => createRedisUserStore({ redis, prefix: nextPrefix(), hashing: CHEAP })],
  ['memory', () => createMemoryUserStore({ hashing: CHEAP })],
];

describe.each(stores)('%s store: search and revisions', (_name, open) => {
  test('search keeps the accounts whose username or email (any case) starts with the prefix, by username, after a cursor', async () => {
    const store = open();
    await seed(store);
    expect(names(await store.search('co', undefined, 10))).toEqual(['corwin']);
    expect(names(await store.search('d', undefined, 10))).toEqual(['dave']);
    expect(names(await store.search('dave@corp', undefined, 10))).toEqual(['dave']);
    expect(names(await store.search('erin@home', undefined, 10))).toEqual(['erin']);
    expect(names(await store.search('corp.example', undefined, 10))).toEqual([]);
    expect(names(await store.search('f', undefined, 10))).toEqual(['frank']);
    expect(names(await store.search('b', undefined, 10))).toEqual(['bob']);
    await store.create({ username: 'homer', password: PASSWORD });
    // "h" is a username prefix (homer) and no email prefix; "e" is erin's username and email.
    expect(names(await store.search('h', undefined, 10))).toEqual(['homer']);
    expect(names(await store.search('', undefined, 2))).toEqual(['bob', 'corwin']);
    expect(names(await store.search('', 'corwin', 2))).toEqual(['dave', 'erin']);
  });

  test('a changed email is found by its new prefix only; a deleted account is not found', async () => {
    const store = open();
    await seed(store);
    const dave = (await store.findByUsername('dave'))!;
    await store.updateProfile(dave.id, { email: 'd@elsewhere.example' });
    expect(names(await store.search('dave@', undefined, 10))).toEqual([]);
    expect(names(await store.search('d@else', undefined, 10))).toEqual(['dave']);
    await store.delete(dave.id);
    expect(names(await store.search('d', undefined, 10))).toEqual([]);
    expect(names(await store.page(undefined, 10))).toEqual(['bob', 'corwin', 'erin', 'frank']);
  });

  test('every change gives a new revision; a change from an old revision fails with revision_mismatch and writes nothing', async () => {
    const store = open();
    const alice = await store.create({ username: 'alice', password: PASSWORD });
    const first = (await store.findWithRevision(alice.id))!.revision;
    await store.updateProfile(alice.id, { name: 'Alice' }, first);
    const second = (await store.findWithRevision(alice.id))!.revision;
    expect(second).not.toBe(first);
    const stale = new UserStoreError('revision_mismatch', `account ${alice.id} has changed since it was read`);
    await expect(store.updateProfile(alice.id, { name: 'Mallory' }, first)).rejects.toEqual(stale);
    await expect(store.setDisabled(alice.id, true, first)).rejects.toEqual(stale);
    await expect(store.delete(alice.id, first)).rejects.toEqual(stale);
    expect(await store.findWithRevision(alice.id)).toEqual({ account: expect.objectContaining({ name: 'Alice', disabled: false }), revision: second });
    await store.setPassword(alice.id, 'another pass phrase');
    expect((await store.findWithRevision(alice.id))!.revision).not.toBe(second);
    await expect(store.delete('AAAAAAAAAAAAAAAAAAAAAA', first)).rejects.toEqual(
      new UserStoreError('account_not_found', 'no account with id AAAAAAAAAAAAAAAAAAAAAA'),
    );
  });

  test('of 20 concurrent profile changes from one revision exactly one is written', async () => {
    const store = open();
    const alice = await store.create({ username: 'alice', password: PASSWORD });
    const { revision } = (await store.findWithRevision(alice.id))!;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_v, i) => store.updateProfile(alice.id, { name: `Alice ${i}` }, revision)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o.reason as UserStoreError).code)).toEqual(Array(19).fill('revision_mismatch'));
    expect((await store.findById(alice.id))!.name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
  });
});

test('Redis: a store written before the sorted indexes existed is indexed on first use, and lists every account', async () => {
  const prefix = nextPrefix();
  const store = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  await seed(store);
  // What a store of the earlier layout holds: the username HASH and the account HASHes, no sorted index.
  await redis.del(`${prefix}{accounts}:by-username`, `${prefix}{accounts}:by-email`, `${prefix}{accounts}:indexed`);
  const fresh = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  expect(names(await fresh.page(undefined, 3))).toEqual(['bob', 'corwin', 'dave']);
  expect(names(await fresh.page('dave', 3))).toEqual(['erin', 'frank']);
  expect(names(await createRedisUserStore({ redis, prefix, hashing: CHEAP }).search('frank@', undefined, 5))).toEqual(['frank']);
  expect(await redis.zcard(`${prefix}{accounts}:by-username`)).toBe(5);
  expect(await redis.get(`${prefix}{accounts}:indexed`)).toBe('1');
});

test('Redis: index members whose account is gone are skipped and dropped, and the page is still full', async () => {
  const prefix = nextPrefix();
  const store = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  await seed(store);
  await store.page(undefined, 1);
  await redis.zadd(`${prefix}{accounts}:by-username`, 0, 'carl', 0, 'dan');
  await redis.zadd(`${prefix}{accounts}:by-email`, 0, 'dan@corp.example\0dan');
  expect(names(await store.page('bob', 2))).toEqual(['corwin', 'dave']);
  expect(names(await store.search('dan', undefined, 5))).toEqual([]);
  expect(await redis.zrangebylex(`${prefix}{accounts}:by-username`, '-', '+')).toEqual(['bob', 'corwin', 'dave', 'erin', 'frank']);
  expect(await redis.zcard(`${prefix}{accounts}:by-email`)).toBe(4);
});

describe('Redis: what a page reads', () => {
  let own: RedisProcess;
  let client: Redis;
  beforeAll(async () => {
    own = await startRedis();
    client = new Redis(own.url);
  });
  afterAll(async () => {
    client.disconnect();
    await own.stop();
  });

  /** How many times Redis ran each command since the last reset (INFO commandstats). */
  async function commands(): Promise<Record<string, number>> {
    const info = await client.info('commandstats');
    return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  }

  test('a page and a search of 10 among 300 accounts read those 10 accounts, never the whole username index', async () => {
    const store = createRedisUserStore({ redis: client, prefix: 'own:', hashing: CHEAP });
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_v, j) =>
          store.create({ username: `user${String(i + j).padStart(3, '0')}`, password: PASSWORD, email: `u${i + j}@example.com` }),
        ),
      );
    }
    await store.page(undefined, 1);
    await client.config('RESETSTAT');
    expect(names(await store.page('user100', 10))).toEqual(Array.from({ length: 10 }, (_v, i) => `user${101 + i}`));
    expect(names(await store.search('user2', 'user205', 10))).toEqual(Array.from({ length: 10 }, (_v, i) => `user${206 + i}`));
    const ran = await commands();
    // Each account read is one HGETALL of its own HASH; nothing reads every username.
    expect(ran.hgetall).toBe(20);
    expect([ran.hkeys, ran.hvals, ran.hscan, ran.smembers, ran.keys, ran.scan]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
