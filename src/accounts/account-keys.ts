/** Redis keys of the accounts; all share one hash tag, so every multi-key operation is single-slot. */
export interface AccountKeys {
  /** HASH normalised username → account id. */
  readonly usernames: string;
  /** ZSET (all scores 0) of usernames, read in lexical order: pages and username-prefix searches. */
  readonly byUsername: string;
  /** ZSET (all scores 0) of `<lower-case email>\0<username>`: email-prefix searches. */
  readonly byEmail: string;
  /** Set once both sorted indexes hold every account (built from `usernames` on first use). */
  readonly indexed: string;
  /** HASH of one account's fields, password hash included. */
  account(id: string): string;
}

/** The account keys under `prefix`. */
export function accountKeys(prefix: string): AccountKeys {
  const base = `${prefix}{accounts}:`;
  return {
    usernames: `${base}usernames`,
    byUsername: `${base}by-username`,
    byEmail: `${base}by-email`,
    indexed: `${base}indexed`,
    account: (id) => `${base}account:${id}`,
  };
}
