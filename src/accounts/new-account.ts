import { randomBytes } from 'node:crypto';

import { checkAccountInput, checkPassword, normalizeUsername } from './account-input.ts';
import { UserStoreError } from './user-store-error.ts';
import type { Account, NewAccount } from './user-store.ts';

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Throws `invalid_input` naming every problem of a password. */
export function assertPassword(password: string, minLength: number): void {
  const problems = checkPassword(password, minLength);
  if (problems.length) throw new UserStoreError('invalid_input', problems.join('; '));
}

/**
 * Validates everything of a new account (throws `invalid_input` naming every problem) and
 * builds it with a fresh random id; every store creates accounts through it.
 */
export function newAccount(input: NewAccount, minPasswordLength: number): Account {
  const problems = [...checkAccountInput(input), ...checkPassword(input.password, minPasswordLength)];
  if (problems.length) throw new UserStoreError('invalid_input', problems.join('; '));
  const now = nowSeconds();
  return Object.freeze({
    id: randomBytes(16).toString('base64url'),
    username: normalizeUsername(input.username),
    email_verified: input.email_verified ?? false,
    disabled: false,
    created_at: now,
    updated_at: now,
    ...optional('email', input.email?.trim()),
    ...optional('name', input.name?.trim()),
    ...optional('given_name', input.given_name?.trim()),
    ...optional('family_name', input.family_name?.trim()),
  });
}
