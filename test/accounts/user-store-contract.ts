import { createPasswordHasher, deriveKey } from '../../src/accounts/password-hasher.ts';
import type { PasswordHasher } from '../../src/accounts/password-hasher.ts';
import type { ScryptParams } from '../../src/accounts/scrypt-params.ts';
import { UserStoreError } from '../../src/accounts/user-store-error.ts';
import type { UserStore } from '../../src/accounts/user-store.ts';
import { expectSameScryptWork } from './same-scrypt-work.ts';

/** A fresh, empty store for one test, with a way to count what it has written. */
export interface ContractSubject {
  readonly store: UserStore;
  /** Number of storage entries (keys) the store holds. */
  stored(): Promise<number>;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
const PASSWORD = 'correct horse battery';

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UserStoreError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the operation succeeded');
}

/** A real hasher that counts its scrypt derivations. */
function countingHasher(): { hasher: PasswordHasher; derivations: () => number } {
  let count = 0;
  const hasher = createPasswordHasher({
    params: { N: 2 ** 10, r: 8, p: 1, keylen: 32 },
    derive: (...args) => {
      count++;
      return deriveKey(...args);
    },
  });
  return { hasher, derivations: () => count };
}

/** The UserStore contract: every implementation runs this suite against real storage. */
export function userStoreContract(
  name: string,
  fresh: (options?: { hasher?: PasswordHasher; hashing?: Partial<ScryptParams> }) => Promise<ContractSubject>,
): void {
  describe(`UserStore contract: ${name}`, () => {
    let store: UserStore;
    let stored: () => Promise<number>;
    beforeEach(async () => ({ store, stored } = await fresh()));

    test('create stores a normalised username under a random opaque id, without the password', async () => {
      const before = Math.floor(Date.now() / 1000);
      const alice = await store.create({
        username: '  Alice ',
        password: PASSWORD,
        email: 'alice@example.com',
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        email_verified: true,
      });
      expect(alice).toEqual({
        id: expect.stringMatching(ID),
        username: 'alice',
        email: 'alice@example.com',
        email_verified: true,
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        disabled: false,
        created_at: alice.created_at,
        updated_at: alice.created_at,
      });
      expect(alice.created_at).toBeGreaterThanOrEqual(before);
      expect(JSON.stringify(alice)).not.toMatch(/scrypt|correct horse/);
      const bob = await store.create({ username: 'bob', password: PASSWORD });
      expect(bob).toEqual({
        id: expect.stringMatching(ID),
        username: 'bob',
        email_verified: false,
        disabled: false,
        created_at: bob.created_at,
        updated_at: bob.created_at,
      });
      expect(bob.id).not.toBe(alice.id);
      expect(await store.findById(alice.id)).toEqual(alice);
      expect(await store.findByUsername('ALICE')).toEqual(alice);
      expect(await store.findByUsername(' alice')).toEqual(alice);
    });

    test('unknown or malformed ids and unknown usernames are not found', async () => {
      await store.create({ username: 'alice', password: PASSWORD });
      expect(await store.findById('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
      expect(await store.findById('alice')).toBeUndefined();
      expect(await store.findById('')).toBeUndefined();
      expect(await store.findByUsername('alicia')).toBeUndefined();
    });

    test('a taken username, in any case, is refused and nothing is written', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD });
      const count = await stored();
      expect(await failure(store.create({ username: 'ALICE', password: 'another password', email: 'x@example.com' }))).toEqual({
        code: 'username_taken',
        message: 'user alice already exists',
      });
      expect(await stored()).toBe(count);
      expect(await store.list()).toEqual([alice]);
    });

    test('of concurrent creates of one username exactly one succeeds', async () => {
      const results = await Promise.allSettled(
        ['carol', 'Carol', 'CAROL', 'carol ', 'cArol'].map((username) => store.create({ username, password: PASSWORD })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'username_taken', message: 'user carol already exists' });
      }
      expect((await store.list()).map((a) => a.username)).toEqual(['carol']);
    });

    test('invalid input is refused with every problem named, and nothing is written', async () => {
      expect(await failure(store.create({ username: 'bad name', password: 'short', email: 'nope', name: ' ' }))).toEqual({
        code: 'invalid_input',
        message:
          'username: must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit; email: must be an email address; ' +
          'name: must be 1 to 200 characters without control characters; password: must be at least 8 characters',
      });
      expect(await stored()).toBe(0);
    });

    test('page returns the accounts after a username, ordered, at most limit', async () => {
      for (const username of ['dave', 'bob', 'carol', 'alice']) await store.create({ username, password: PASSWORD });
      expect((await store.page(undefined, 2)).map((a) => a.username)).toEqual(['alice', 'bob']);
      expect((await store.page('bob', 5)).map((a) => a.username)).toEqual(['carol', 'dave']);
      expect(await store.page('dave', 5)).toEqual([]);
    });

    test('list returns every account ordered by username', async () => {
      for (const username of ['mallory', 'bob', 'alice']) await store.create({ username, password: PASSWORD });
      expect((await store.list()).map((a) => a.username)).toEqual(['alice', 'bob', 'mallory']);
    });

    test('authenticate: the id for the right password in any username case, one generic failure otherwise', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD });
      expect(await store.authenticate('alice', PASSWORD)).toBe(alice.id);
      expect(await store.authenticate('ALICE', PASSWORD)).toBe(alice.id);
      expect(await store.authenticate('alice', 'wrong password')).toBeUndefined();
      expect(await store.authenticate('alice', `${PASSWORD} `)).toBeUndefined();
      expect(await store.authenticate('nobody', PASSWORD)).toBeUndefined();
      expect(await store.authenticate('', '')).toBeUndefined();
      expect(await store.authenticate('alice', 'x'.repeat(5000))).toBeUndefined();
    });

    test('authenticate costs one derivation whatever the outcome, from the first unknown username after creation on', async () => {
      const { hasher, derivations } = countingHasher();
      const { store: counted } = await fresh({ hasher });
      expect(await counted.authenticate('nobody', PASSWORD)).toBeUndefined();
      expect(derivations()).toBe(1);
      const dave = await counted.create({ username: 'dave', password: PASSWORD });
      await counted.setDisabled(dave.id, true);
      const before = derivations();
      for (const [username, password] of [
        ['nobody', PASSWORD],
        ['someone', 'x'.repeat(5000)],
        ['dave', 'wrong password'],
        ['dave', PASSWORD],
      ]) {
        expect(await counted.authenticate(username!, password!)).toBeUndefined();
      }
      expect(derivations() - before).toBe(4);
    });

    test('a disabled account cannot authenticate until enabled again', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD });
      const disabled = await store.setDisabled(alice.id, true);
      expect(disabled).toEqual({ ...alice, disabled: true, updated_at: disabled.updated_at });
      expect(disabled.updated_at).toBeGreaterThanOrEqual(alice.updated_at);
      expect(await store.findById(alice.id)).toEqual(disabled);
      expect(await store.authenticate('alice', PASSWORD)).toBeUndefined();
      expect((await store.setDisabled(alice.id, false)).disabled).toBe(false);
      expect(await store.authenticate('alice', PASSWORD)).toBe(alice.id);
    });

    test('setPassword replaces the password; a bad one is refused and the old one kept', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD });
      await store.setPassword(alice.id, 'a new pass phrase');
      expect(await store.authenticate('alice', PASSWORD)).toBeUndefined();
      expect(await store.authenticate('alice', 'a new pass phrase')).toBe(alice.id);
      expect(await failure(store.setPassword(alice.id, 'short'))).toEqual({ code: 'invalid_input', message: 'password: must be at least 8 characters' });
      expect(await store.authenticate('alice', 'a new pass phrase')).toBe(alice.id);
    });

    test('delete removes the account and frees its username', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD });
      await store.delete(alice.id);
      expect(await store.findById(alice.id)).toBeUndefined();
      expect(await store.findByUsername('alice')).toBeUndefined();
      expect(await store.authenticate('alice', PASSWORD)).toBeUndefined();
      expect(await store.list()).toEqual([]);
      expect(await stored()).toBe(0);
      const again = await store.create({ username: 'Alice', password: 'another password' });
      expect(again.id).not.toBe(alice.id);
      expect(await store.authenticate('alice', 'another password')).toBe(again.id);
    });

    test('operations on an unknown id fail with account_not_found and write nothing', async () => {
      const id = 'AAAAAAAAAAAAAAAAAAAAAA';
      const notFound = { code: 'account_not_found', message: `no account with id ${id}` };
      expect(await failure(store.setDisabled(id, true))).toEqual(notFound);
      expect(await failure(store.setPassword(id, PASSWORD))).toEqual(notFound);
      expect(await failure(store.delete(id))).toEqual(notFound);
      expect(await failure(store.updateProfile(id, { name: 'X' }))).toEqual(notFound);
      expect(await stored()).toBe(0);
    });

    test('updateProfile replaces given fields, removes null ones, keeps the rest and the password; bad input changes nothing', async () => {
      const alice = await store.create({ username: 'alice', password: PASSWORD, email: 'alice@example.com', name: 'Alice', given_name: 'Alice' });
      const updated = await store.updateProfile(alice.id, { email: 'a@example.org', email_verified: true, name: null, groups: ['staff', 'admins', 'staff'] });
      expect(updated).toEqual({
        id: alice.id,
        username: 'alice',
        email: 'a@example.org',
        email_verified: true,
        given_name: 'Alice',
        groups: ['admins', 'staff'],
        disabled: false,
        created_at: alice.created_at,
        updated_at: updated.updated_at,
      });
      expect(await store.findById(alice.id)).toEqual(updated);
      expect(await store.authenticate('alice', PASSWORD)).toBe(alice.id);
      expect(await failure(store.updateProfile(alice.id, { email: 'nope', groups: ['bad group'] }))).toEqual({
        code: 'invalid_input',
        message: 'email: must be an email address; groups: bad group must be 1 to 100 letters, digits or _ . : @ / -, starting with a letter or digit',
      });
      expect(await store.findById(alice.id)).toEqual(updated);
      const cleared = await store.updateProfile(alice.id, { groups: [] });
      expect(cleared.groups).toBeUndefined();
      expect((await store.findById(alice.id))?.groups).toBeUndefined();
    });

    // Counted, not timed (see same-scrypt-work.ts).
    test('an unknown username, a wrong password and a disabled account cost the same scrypt work', async () => {
      await expectSameScryptWork(async (hasher) => (await fresh({ hasher })).store);
    });

    test('unusable hashing parameters are refused when the store is created', async () => {
      await expect(fresh({ hashing: { N: 1000, r: 0 } })).rejects.toThrow(
        new Error('invalid scrypt parameters: r: must be a whole number from 1 to 32; N: must be a power of two'),
      );
    });
  });
}
