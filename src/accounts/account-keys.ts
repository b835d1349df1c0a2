/** Redis keys of the accounts; all share one hash tag, so every multi-key operation is single-slot. */
export interface AccountKeys {
  /** HASH normalised username → account id. */
  readonly usernames: string;
  /** HASH of one account's fields, password hash included. */
  account(id: string): string;
}

/** The account keys under `prefix`. */
export function accountKeys(prefix: string): AccountKeys {
  const base = `${prefix}{accounts}:`;
  return {
    usernames: `${base}usernames`,
    account: (id) => `${base}account:${id}`,
  };
}
