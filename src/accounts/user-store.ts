/**
 * An account as the rest of Tessera sees it. Claim-like fields keep their OpenID Connect names.
 * The password hash never leaves the store.
 */
export interface Account {
  /** Stable, opaque, random identifier; the `sub` of every token. Never the username. */
  readonly id: string;
  /** Normalised username (NFKC, trimmed, lower case); unique. */
  readonly username: string;
  readonly email?: string;
  readonly email_verified: boolean;
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  /** The groups the account is in (sorted); absent when none. Resource servers configured for them receive them in tokens. */
  readonly groups?: readonly string[];
  /** A disabled account cannot sign in and is not found by the protocol engine. */
  readonly disabled: boolean;
  /** Seconds since the epoch. */
  readonly created_at: number;
  /** Seconds since the epoch of the last change by an operator (profile, password, disabled). */
  readonly updated_at: number;
}

/** The profile an account is created with. */
export interface AccountProfile {
  readonly email?: string | undefined;
  readonly email_verified?: boolean | undefined;
  readonly name?: string | undefined;
  readonly given_name?: string | undefined;
  readonly family_name?: string | undefined;
}

/** A change of profile: a field given replaces the stored one, `null` removes it, one left out stays. */
export interface ProfileChanges {
  readonly email?: string | null | undefined;
  readonly email_verified?: boolean | undefined;
  readonly name?: string | null | undefined;
  readonly given_name?: string | null | undefined;
  readonly family_name?: string | null | undefined;
  /** Replaces the account's groups (an empty list removes them all). */
  readonly groups?: readonly string[] | undefined;
}

/** What `create` needs: a username, a password and an optional profile. */
export interface NewAccount extends AccountProfile {
  /** Any case; stored normalised. */
  readonly username: string;
  readonly password: string;
}

/**
 * The user store: the only component that reads or writes accounts and password hashes.
 *
 * Contract, for every implementation:
 * - `create` validates everything before writing (bad input: `UserStoreError` code
 *   `invalid_input`); a taken username fails with code `username_taken` and the message
 *   `user <username> already exists`; it is atomic: of concurrent creates of one username
 *   exactly one succeeds and a failed create leaves nothing behind.
 * - Usernames are matched case-insensitively (after NFKC normalisation and trimming).
 * - `findById`/`findByUsername` resolve `undefined` for an unknown account (or a malformed id).
 * - `updateProfile`, `setDisabled`, `setPassword` and `delete` fail with code `account_not_found` for an
 *   unknown id; `delete` frees the username at once.
 * - Every change of an account gives it a new `revision`; `updateProfile`, `setDisabled` and
 *   `delete` given `ifRevision` change it only if that still is its revision (else code
 *   `revision_mismatch`), atomically: of concurrent changes from one revision exactly one succeeds.
 * - `authenticate` resolves the account id only for an existing, enabled account and the
 *   right password; otherwise `undefined`, whatever the reason, after the same work.
 * - Passwords are stored only as salted, memory-hard hashes; a hash made with other
 *   parameters than the configured ones is replaced on the next successful `authenticate`.
 */
export interface UserStore {
  /** Creates an account with a new random id; resolves the account. */
  create(input: NewAccount): Promise<Account>;
  /** The account with this id, disabled or not. */
  findById(id: string): Promise<Account | undefined>;
  /** The account with this username (any case), disabled or not. */
  findByUsername(username: string): Promise<Account | undefined>;
  /** The account with this id and its current revision (an opaque string that every change replaces). */
  findWithRevision(id: string): Promise<{ account: Account; revision: string } | undefined>;
  /** Every account, ordered by username. */
  list(): Promise<Account[]>;
  /** At most `limit` accounts whose usernames sort after `after`, ordered by username; reads only those records. */
  page(after: string | undefined, limit: number): Promise<Account[]>;
  /** Like `page`, keeping the accounts whose username or lower-case email starts with `prefix` (lower case); reads only the matches. */
  search(prefix: string, after: string | undefined, limit: number): Promise<Account[]>;
  /** Changes the profile (validated like at `create`; `invalid_input` naming every problem); resolves the updated account. */
  updateProfile(id: string, changes: ProfileChanges, ifRevision?: string): Promise<Account>;
  /** Disables or enables an account; resolves the updated account. */
  setDisabled(id: string, disabled: boolean, ifRevision?: string): Promise<Account>;
  /** Replaces the password (validated like at `create`). */
  setPassword(id: string, password: string): Promise<void>;
  /** Removes the account and frees its username. */
  delete(id: string, ifRevision?: string): Promise<void>;
  /** The account id when `username` and `password` match an enabled account; else `undefined`. */
  authenticate(username: string, password: string): Promise<string | undefined>;
}
