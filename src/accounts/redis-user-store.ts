import { normalizeUsername } from './account-input.ts';
import { accountKeys } from './account-keys.ts';
import { flag, fromFields, OPTIONAL, toFields } from './account-record.ts';
import type { AccountRecord } from './account-record.ts';
import { createAccountScript, deleteAccountScript, replaceHashScript, replaceProfileScript, updateAccountScript } from './account-scripts.ts';
import { applyProfileChanges } from './profile-changes.ts';
import { createUserIndex, emailMember } from './redis-user-index.ts';
import type { RedisClient } from './redis-client.ts';
import { assertPassword, newAccount, nowSeconds } from './new-account.ts';
import { ACCOUNT_ID, accountNotFound, byUsername, changed, checkSignIn, storeBasics } from './store-basics.ts';
import type { UserStoreBasics } from './store-basics.ts';
import { UserStoreError } from './user-store-error.ts';
import type { NewAccount, UserStore } from './user-store.ts';

/** Options of the Redis user store. */
export interface RedisUserStoreOptions extends UserStoreBasics {
  /** An ioredis client (standalone, Sentinel or Cluster); the caller owns and closes it. */
  readonly redis: RedisClient;
  /** Prefix of every key (REDIS_KEY_PREFIX); accounts live under `<prefix>{accounts}:`. */
  readonly prefix: string;
}

/**
 * The Redis implementation of {@link UserStore}. Throws at once when the hashing parameters
 * are unusable.
 *
 * @example
 * const users = createRedisUserStore({ redis, prefix: config.redisKeyPrefix });
 * const sub = await users.authenticate('alice', password);
 */
export function createRedisUserStore({ redis, prefix, ...options }: RedisUserStoreOptions): UserStore {
  const keys = accountKeys(prefix);
  const { hasher, minPasswordLength } = storeBasics(options);

  async function readRevised(id: string): Promise<{ record: AccountRecord; revision: string } | undefined> {
    const fields = await redis.hgetall(keys.account(id));
    const record = fromFields(fields);
    return record && { record, revision: fields.rev ?? '0' };
  }
  const read = async (id: string): Promise<AccountRecord | undefined> => (await readRevised(id))?.record;
  const index = createUserIndex({ redis, keys, read: async (id) => (await read(id))?.account });

  async function update(id: string, fields: string[], ifRevision = ''): Promise<void> {
    changed(id, await updateAccountScript(redis, [keys.account(id)], [ifRevision, ...fields, 'updated_at', String(nowSeconds())]));
  }

  return {
    async create(input: NewAccount) {
      const account = newAccount(input, minPasswordLength);
      const { username } = account;
      const passwordHash = await hasher.hash(input.password);
      const created = await createAccountScript(
        redis,
        [keys.usernames, keys.account(account.id), keys.byUsername, keys.byEmail],
        [username, account.id, emailMember(account.email, username), ...toFields({ account, passwordHash })],
      );
      if (created === 0) throw new UserStoreError('username_taken', `user ${username} already exists`);
      if (created !== 1) throw new Error('account id collision; retry');
      return account;
    },

    async findById(id) {
      return ACCOUNT_ID.test(id) ? (await read(id))?.account : undefined;
    },

    async findByUsername(username) {
      const id = await redis.hget(keys.usernames, normalizeUsername(username));
      return id ? (await read(id))?.account : undefined;
    },

    async findWithRevision(id) {
      const found = ACCOUNT_ID.test(id) ? await readRevised(id) : undefined;
      return found && { account: found.record.account, revision: found.revision };
    },

    async list() {
      const ids = Object.values(await redis.hgetall(keys.usernames));
      const records = await Promise.all(ids.map(read));
      return records.flatMap((r) => (r ? [r.account] : [])).sort(byUsername);
    },

    async updateProfile(id, changes, ifRevision = '') {
      const record = ACCOUNT_ID.test(id) ? await read(id) : undefined;
      if (!record) throw accountNotFound(id);
      const account = applyProfileChanges(record.account, changes);
      const all = toFields({ account, passwordHash: record.passwordHash });
      // The password hash is left as it is: a password changed meanwhile must not be undone.
      const set = all.flatMap((value, i) => (i % 2 === 0 && value !== 'password_hash' ? [value, all[i + 1]!] : []));
      const removed = [...OPTIONAL, 'groups'].filter((field) => !set.includes(field));
      changed(
        id,
        await replaceProfileScript(
          redis,
          [keys.account(id), keys.byEmail],
          [
            ifRevision,
            emailMember(record.account.email, account.username),
            emailMember(account.email, account.username),
            String(removed.length),
            ...removed,
            ...set,
          ],
        ),
      );
      return account;
    },

    page: (after, limit) => index.page(after, limit),
    search: (prefix, after, limit) => index.search(prefix, after, limit),

    async setDisabled(id, disabled, ifRevision) {
      await update(id, ['disabled', flag(disabled)], ifRevision);
      const record = await read(id);
      if (!record) throw accountNotFound(id);
      return record.account;
    },

    async setPassword(id, password) {
      assertPassword(password, minPasswordLength);
      await update(id, ['password_hash', await hasher.hash(password)]);
    },

    async delete(id, ifRevision = '') {
      const [email, username] = await redis.hmget(keys.account(id), 'email', 'username');
      changed(
        id,
        await deleteAccountScript(
          redis,
          [keys.account(id), keys.usernames, keys.byUsername, keys.byEmail],
          [ifRevision, id, emailMember(email ?? undefined, username ?? '')],
        ),
      );
    },

    async authenticate(username, password) {
      // Same steps whatever the outcome: one lookup, one record read, one scrypt derivation.
      const id = await redis.hget(keys.usernames, normalizeUsername(username));
      const record = await read(id ?? '');
      const signedIn = await checkSignIn(hasher, record, password);
      if (!signedIn) return undefined;
      // Only if the password was not changed while this one was being hashed (compare-and-set).
      if (signedIn.rehashed) await replaceHashScript(redis, [keys.account(signedIn.account.id)], [record!.passwordHash, signedIn.rehashed]);
      return signedIn.account.id;
    },
  };
}
