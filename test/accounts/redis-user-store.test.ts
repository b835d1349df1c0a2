import { Redis } from 'ioredis';

import { createPasswordHasher } from '../../src/accounts/password-hasher.ts';
import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import { userStoreContract } from './user-store-contract.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
const redis = new Redis(process.env.REDIS_URL!);
let run = 0;
const nextPrefix = (): string => `test-accounts-store:${++run}:`;

afterAll(() => redis.quit());

userStoreContract('Redis standalone', async (options) => {
  const prefix = nextPrefix();
  return { store: createRedisUserStore({ redis, prefix, hashing: CHEAP, ...options }), stored: async () => (await redis.keys(`${prefix}*`)).length };
});

async function storedHash(prefix: string, id: string): Promise<string | null> {
  return redis.hget(`${prefix}{accounts}:account:${id}`, 'password_hash');
}

test('every account key shares one hash tag under the prefix', async () => {
  const prefix = nextPrefix();
  const store = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  const alice = await store.create({ username: 'alice', password: PASSWORD });
  expect((await redis.keys(`${prefix}*`)).sort()).toEqual([
    `${prefix}{accounts}:account:${alice.id}`,
    `${prefix}{accounts}:by-username`,
    `${prefix}{accounts}:usernames`,
  ]);
  expect(await redis.ttl(`${prefix}{accounts}:account:${alice.id}`)).toBe(-1);
});

test('the password is stored only as scrypt$N$r$p$salt$hash, with a salt of its own per user', async () => {
  const prefix = nextPrefix();
  const store = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  const alice = await store.create({ username: 'alice', password: PASSWORD });
  const bob = await store.create({ username: 'bob', password: PASSWORD });
  const [a, b] = [await storedHash(prefix, alice.id), await storedHash(prefix, bob.id)];
  expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a!.split('$')[4]).not.toBe(b!.split('$')[4]);
  expect(a!.split('$')[5]).not.toBe(b!.split('$')[5]);
  const everything = JSON.stringify(await redis.hgetall(`${prefix}{accounts}:account:${alice.id}`));
  expect(everything).not.toContain(PASSWORD);
});

test('the default parameters (N=2^15, r=8, p=1) hash and verify within node:crypto memory limits', async () => {
  const prefix = nextPrefix();
  const store = createRedisUserStore({ redis, prefix });
  const alice = await store.create({ username: 'alice', password: PASSWORD });
  expect(await storedHash(prefix, alice.id)).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(await store.authenticate('alice', PASSWORD)).toBe(alice.id);
});

test('a hash made with other parameters is upgraded on the next successful login, and only then', async () => {
  const prefix = nextPrefix();
  const before = createRedisUserStore({ redis, prefix, hashing: CHEAP });
  const alice = await before.create({ username: 'alice', password: PASSWORD });
  const old = await storedHash(prefix, alice.id);
  const after = createRedisUserStore({ redis, prefix, hashing: { ...CHEAP, N: 2 ** 11, keylen: 48 } });

  expect(await after.authenticate('alice', 'wrong password')).toBeUndefined();
  expect(await storedHash(prefix, alice.id)).toBe(old);
  const updatedAt = (await after.findById(alice.id))!.updated_at;

  expect(await after.authenticate('alice', PASSWORD)).toBe(alice.id);
  const upgraded = await storedHash(prefix, alice.id);
  expect(upgraded).not.toBe(old);
  expect(upgraded).toMatch(/^scrypt\$2048\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{64}$/);
  expect(await createPasswordHasher({ params: { ...CHEAP, N: 2 ** 11, keylen: 48 } }).verify(PASSWORD, upgraded!)).toEqual({ ok: true, needsRehash: false });
  expect((await after.findById(alice.id))!.updated_at).toBe(updatedAt);

  expect(await after.authenticate('alice', PASSWORD)).toBe(alice.id);
  expect(await storedHash(prefix, alice.id)).toBe(upgraded);
});

test('a disabled account with the right password is not upgraded', async () => {
  const prefix = nextPrefix();
  const alice = await createRedisUserStore({ redis, prefix, hashing: CHEAP }).create({ username: 'alice', password: PASSWORD });
  const store = createRedisUserStore({ redis, prefix, hashing: { ...CHEAP, N: 2 ** 11 } });
  await store.setDisabled(alice.id, true);
  const old = await storedHash(prefix, alice.id);
  expect(await store.authenticate('alice', PASSWORD)).toBeUndefined();
  expect(await storedHash(prefix, alice.id)).toBe(old);
});
