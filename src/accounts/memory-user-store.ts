import { MAX_PASSWORD_LENGTH, normalizeUsername } from './account-input.ts';
import type { AccountRecord } from './account-record.ts';
import { createMemoryRevisions } from './memory-revisions.ts';
import { createPasswordHasher } from './password-hasher.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { DEFAULT_SCRYPT_PARAMS } from './scrypt-params.ts';
import type { ScryptParams } from './scrypt-params.ts';
import { assertPassword, newAccount, nowSeconds } from './new-account.ts';
import { applyProfileChanges } from './profile-changes.ts';
import { UserStoreError } from './user-store-error.ts';
import type { Account, NewAccount, UserStore } from './user-store.ts';

/** What a memory user store holds; pass one in to look at it (tests) or to share it between stores. */
export interface MemoryUserState {
  /** Account id → the account and its password hash. */
  readonly accounts: Map<string, AccountRecord>;
  /** Normalised username → account id. */
  readonly usernames: Map<string, string>;
}

/** Options of the memory user store. */
export interface MemoryUserStoreOptions {
  /** scrypt parameters for new hashes; default N=2^15, r=8, p=1, keylen=32. */
  readonly hashing?: Partial<ScryptParams>;
  /** Shortest password accepted by `create` and `setPassword`, in characters; default 8. */
  readonly minPasswordLength?: number;
  /** The password hasher; by default one for `hashing` (which is not used when a hasher is given). */
  readonly hasher?: PasswordHasher;
  /** The maps to keep accounts in; new empty ones by default. */
  readonly state?: MemoryUserState;
}

const ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A {@link UserStore} in this process's memory, for a development Tessera without Redis: same
 * contract, same hashes and input checks as the Redis store, but neither shared between
 * instances nor kept across restarts. Throws at once when the hashing parameters are unusable.
 *
 * @example
 * const users = createMemoryUserStore({ hashing: { N: config.passwordScryptN } });
 * await users.create({ username: 'demo', password });
 */
export function createMemoryUserStore({ hashing, minPasswordLength = 8, state = { accounts: new Map(), usernames: new Map() }, hasher: given }:
  MemoryUserStoreOptions = {}): UserStore {
  const hasher = given ?? createPasswordHasher({ params: { ...DEFAULT_SCRYPT_PARAMS, ...hashing } });
  const { accounts, usernames } = state;

  function existing(id: string): AccountRecord {
    const record = accounts.get(id);
    if (!record) throw new UserStoreError('account_not_found', `no account with id ${id}`);
    return record;
  }

  const revisions = createMemoryRevisions();
  const store = (id: string, record: AccountRecord): void => void (revisions.bump(id), accounts.set(id, record));
  const expected = (id: string, ifRevision: string | undefined): AccountRecord => ((r) => (revisions.check(id, ifRevision), r))(existing(id));

  function update(id: string, change: Partial<Account>, passwordHash?: string, ifRevision?: string): Account {
    const record = expected(id, ifRevision);
    const account = Object.freeze({ ...record.account, ...change, updated_at: nowSeconds() });
    store(id, { account, passwordHash: passwordHash ?? record.passwordHash });
    return account;
  }


  return {
    async create(input: NewAccount) {
      const account = newAccount(input, minPasswordLength);
      const { username } = account;
      const passwordHash = await hasher.hash(input.password);
      // Checked and written in one synchronous step after the hash, so of concurrent creates
      // of one username exactly one succeeds.
      if (usernames.has(username)) throw new UserStoreError('username_taken', `user ${username} already exists`);
      if (accounts.has(account.id)) throw new Error('account id collision; retry');
      accounts.set(account.id, { account, passwordHash });
      usernames.set(username, account.id);
      return account;
    },

    async findById(id) {
      return ID.test(id) ? accounts.get(id)?.account : undefined;
    },

    async findByUsername(username) {
      const id = usernames.get(normalizeUsername(username));
      return id === undefined ? undefined : accounts.get(id)?.account;
    },

    async findWithRevision(id) {
      const record = ID.test(id) ? accounts.get(id) : undefined;
      return record && { account: record.account, revision: revisions.of(id) };
    },

    async list() {
      return [...accounts.values()].map((r) => r.account).sort((a, b) => (a.username < b.username ? -1 : 1));
    },

    async updateProfile(id, changes, ifRevision) {
      const record = expected(id, ifRevision);
      const account = applyProfileChanges(record.account, changes);
      store(id, { account, passwordHash: record.passwordHash });
      return account;
    },

    async page(after, limit) {
      return [...accounts.values()].map((r) => r.account).filter((a) => after === undefined || a.username > after)
        .sort((a, b) => (a.username < b.username ? -1 : 1)).slice(0, limit);
    },

    async search(prefix, after, limit) {
      return (await this.page(after, accounts.size)).filter((a) => a.username.startsWith(prefix) || a.email?.toLowerCase().startsWith(prefix)).slice(0, limit);
    },

    async setDisabled(id, disabled, ifRevision) {
      return update(id, { disabled }, undefined, ifRevision);
    },

    async setPassword(id, password) {
      assertPassword(password, minPasswordLength);
      existing(id);
      const passwordHash = await hasher.hash(password);
      update(id, {}, passwordHash);
    },

    async delete(id, ifRevision) {
      const { account } = expected(id, ifRevision);
      accounts.delete(id);
      if (usernames.get(account.username) === id) usernames.delete(account.username);
    },

    async authenticate(username, password) {
      // Same steps whatever the outcome: one lookup and one scrypt derivation.
      const id = usernames.get(normalizeUsername(username));
      const record = id === undefined ? undefined : accounts.get(id);
      const tooLong = password.length > MAX_PASSWORD_LENGTH;
      const { ok, needsRehash } = await hasher.verify(tooLong ? '' : password, record?.passwordHash);
      if (!record || !ok || tooLong || record.account.disabled) return undefined;
      if (needsRehash) {
        const upgraded = await hasher.hash(password);
        // Only if the password was not changed while this one was being hashed.
        const current = accounts.get(record.account.id);
        if (current?.passwordHash === record.passwordHash) accounts.set(record.account.id, { account: current.account, passwordHash: upgraded });
      }
      return record.account.id;
    },
  };
}
