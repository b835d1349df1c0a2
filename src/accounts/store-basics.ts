import { MAX_PASSWORD_LENGTH } from './account-input.ts';
import type { AccountRecord } from './account-record.ts';
import { createPasswordHasher } from './password-hasher.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { DEFAULT_SCRYPT_PARAMS } from './scrypt-params.ts';
import type { ScryptParams } from './scrypt-params.ts';
import { UserStoreError } from './user-store-error.ts';
import type { Account } from './user-store.ts';

/** Options every user store takes: how passwords are hashed and how long they must be. */
export interface UserStoreBasics {
  /** scrypt parameters for new hashes; default N=2^15, r=8, p=1, keylen=32. */
  readonly hashing?: Partial<ScryptParams>;
  /** Shortest password accepted by `create` and `setPassword`, in characters; default 8. */
  readonly minPasswordLength?: number;
  /** The password hasher; by default one for `hashing` (which is not used when a hasher is given). */
  readonly hasher?: PasswordHasher;
}

/** The shape of the account ids stores make (16 random bytes, base64url); anything else is no account. */
export const ACCOUNT_ID = /^[A-Za-z0-9_-]{22}$/;

/** The hasher and password length of a store's options; throws at once when the hashing parameters are unusable. */
export function storeBasics({ hashing, minPasswordLength = 8, hasher }: UserStoreBasics): { hasher: PasswordHasher; minPasswordLength: number } {
  return { hasher: hasher ?? createPasswordHasher({ params: { ...DEFAULT_SCRYPT_PARAMS, ...hashing } }), minPasswordLength };
}

/** The error of a change to an account that does not exist. */
export function accountNotFound(id: string): UserStoreError {
  return new UserStoreError('account_not_found', `no account with id ${id}`);
}

/** Orders accounts by username. */
export function byUsername(a: Account, b: Account): number {
  return a.username < b.username ? -1 : 1;
}

/**
 * Checks `password` against `record` (undefined: no such account) with the same steps whatever
 * the outcome: one scrypt derivation, also for an unknown user or an overlong password. Resolves
 * the account when the password is right and the account enabled, with a new hash when the
 * stored one was made with other parameters (for the store to put in place of the old).
 */
export async function checkSignIn(
  hasher: PasswordHasher,
  record: AccountRecord | undefined,
  password: string,
): Promise<{ account: Account; rehashed?: string } | undefined> {
  const tooLong = password.length > MAX_PASSWORD_LENGTH;
  const { ok, needsRehash } = await hasher.verify(tooLong ? '' : password, record?.passwordHash);
  if (!record || !ok || tooLong || record.account.disabled) return undefined;
  return needsRehash ? { account: record.account, rehashed: await hasher.hash(password) } : { account: record.account };
}

/** Throws for what a write script answered other than 1 (0: no such account, -2: another revision). */
export function changed(id: string, outcome: unknown): void {
  if (outcome === -2) throw new UserStoreError('revision_mismatch', `account ${id} has changed since it was read`);
  if (outcome !== 1) throw accountNotFound(id);
}
