import { createMemoryUserStore } from '../../src/accounts/memory-user-store.ts';
import type { MemoryUserState } from '../../src/accounts/memory-user-store.ts';
import { createPasswordHasher } from '../../src/accounts/password-hasher.ts';
import { userStoreContract } from './user-store-contract.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
const freshState = (): MemoryUserState => ({ accounts: new Map(), usernames: new Map() });

userStoreContract('memory', async (options) => {
  const state = freshState();
  return { store: createMemoryUserStore({ hashing: CHEAP, state, ...options }), stored: async () => state.accounts.size + state.usernames.size };
});

test('the password is held only as scrypt$N$r$p$salt$hash, with a salt of its own per user', async () => {
  const state = freshState();
  const store = createMemoryUserStore({ hashing: CHEAP, state });
  const alice = await store.create({ username: 'alice', password: PASSWORD });
  const bob = await store.create({ username: 'bob', password: PASSWORD });
  const [a, b] = [state.accounts.get(alice.id)!.passwordHash, state.accounts.get(bob.id)!.passwordHash];
  expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  expect(JSON.stringify([...state.accounts.values()])).not.toContain(PASSWORD);
});

test('accounts handed out cannot be changed by the caller', async () => {
  const store = createMemoryUserStore({ hashing: CHEAP });
  const alice = await store.create({ username: 'alice', password: PASSWORD });
  expect(() => {
    (alice as { disabled: boolean }).disabled = true;
  }).toThrow(TypeError);
  expect((await store.findById(alice.id))!.disabled).toBe(false);
});

test('a hash made with other parameters is upgraded on the next successful login, and only then', async () => {
  const state = freshState();
  const alice = await createMemoryUserStore({ hashing: CHEAP, state }).create({ username: 'alice', password: PASSWORD });
  const old = state.accounts.get(alice.id)!.passwordHash;
  const after = createMemoryUserStore({ hashing: { ...CHEAP, N: 2 ** 11, keylen: 48 }, state });

  expect(await after.authenticate('alice', 'wrong password')).toBeUndefined();
  expect(state.accounts.get(alice.id)!.passwordHash).toBe(old);
  expect(await after.authenticate('alice', PASSWORD)).toBe(alice.id);
  const upgraded = state.accounts.get(alice.id)!.passwordHash;
  expect(upgraded).toMatch(/^scrypt\$2048\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{64}$/);
  expect(await createPasswordHasher({ params: { ...CHEAP, N: 2 ** 11, keylen: 48 } }).verify(PASSWORD, upgraded)).toEqual({ ok: true, needsRehash: false });
  expect((await after.findById(alice.id))!.updated_at).toBe(alice.updated_at);
  expect(await after.authenticate('alice', PASSWORD)).toBe(alice.id);
  expect(state.accounts.get(alice.id)!.passwordHash).toBe(upgraded);
});

test('a password changed while an upgrade is being hashed is not overwritten by the upgrade', async () => {
  const state = freshState();
  const alice = await createMemoryUserStore({ hashing: CHEAP, state }).create({ username: 'alice', password: PASSWORD });
  const store = createMemoryUserStore({ hashing: { ...CHEAP, N: 2 ** 12 }, state });
  const [id] = await Promise.all([store.authenticate('alice', PASSWORD), store.setPassword(alice.id, 'a new pass phrase')]);
  expect(id).toBe(alice.id);
  expect(await store.authenticate('alice', 'a new pass phrase')).toBe(alice.id);
  expect(await store.authenticate('alice', PASSWORD)).toBeUndefined();
});
