import { normalizeUsername } from './account-input.ts';
import type { AccountRecord } from './account-record.ts';
import { createMemoryRevisions } from './memory-revisions.ts';
import { assertPassword, newAccount, nowSeconds } from './new-account.ts';
import { applyProfileChanges } from './profile-changes.ts';
import { ACCOUNT_ID, accountNotFound, byUsername, checkSignIn, storeBasics } from './store-basics.ts';
import type { UserStoreBasics } from './store-basics.ts';
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
export interface MemoryUserStoreOptions extends UserStoreBasics {
  /** The maps to keep accounts in; new empty ones by default. */
  readonly state?: MemoryUserState;
}

/**
 * A {@link UserStore} in this process's memory, for a development Tessera without Redis: same
 * contract, same hashes and input checks as the Redis store, but neither shared between
 * instances nor kept across restarts. Throws at once when the hashing parameters are unusable.
 *
 * @example
 * const users = createMemoryUserStore({ hashing: { N: config.passwordScryptN } });
 * await users.create({ username: 'demo', password });
 */
export function createMemoryUserStore({ state = { accounts: new Map(), usernames: new Map() }, ...options }: MemoryUserStoreOptions = {}): UserStore {
  const { hasher, minPasswordLength } = storeBasics(options);
  const { accounts, usernames } = state;

  function existing(id: string): AccountRecord {
    const record = accounts.get(id);
    if (!record) throw accountNotFound(id);
    return record;
  }

  const revisions = createMemoryRevisions();
  const store = (id: string, record: AccountRecord): void => {
    revisions.bump(id);
    accounts.set(id, record);
  };
  const expected = (id: string, ifRevision: string | undefined): AccountRecord => {
    const record = existing(id);
    revisions.check(id, ifRevision);
    return record;
  };

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
      return ACCOUNT_ID.test(id) ? accounts.get(id)?.account : undefined;
    },

    async findByUsername(username) {
      const id = usernames.get(normalizeUsername(username));
      return id === undefined ? undefined : accounts.get(id)?.account;
    },

    async findWithRevision(id) {
      const record = ACCOUNT_ID.test(id) ? accounts.get(id) : undefined;
      return record && { account: record.account, revision: revisions.of(id) };
    },

    async list() {
      return [...accounts.values()].map((r) => r.account).sort(byUsername);
    },

    async updateProfile(id, changes, ifRevision) {
      const record = expected(id, ifRevision);
      const account = applyProfileChanges(record.account, changes);
      store(id, { account, passwordHash: record.passwordHash });
      return account;
    },

    async page(after, limit) {
      return [...accounts.values()]
        .map((r) => r.account)
        .filter((a) => after === undefined || a.username > after)
        .sort(byUsername)
        .slice(0, limit);
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
      const signedIn = await checkSignIn(hasher, record, password);
      if (!signedIn) return undefined;
      if (signedIn.rehashed) {
        // Only if the password was not changed while this one was being hashed.
        const current = accounts.get(signedIn.account.id);
        if (current?.passwordHash === record!.passwordHash) accounts.set(signedIn.account.id, { account: current.account, passwordHash: signedIn.rehashed });
      }
      return signedIn.account.id;
    },
  };
}
