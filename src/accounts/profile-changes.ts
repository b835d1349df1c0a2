import { checkGroups, normalizeGroups } from './account-groups.ts';
import { checkAccountInput } from './account-input.ts';
import { nowSeconds } from './new-account.ts';
import { UserStoreError } from './user-store-error.ts';
import type { Account, ProfileChanges } from './user-store.ts';

const TEXT = ['email', 'name', 'given_name', 'family_name'] as const;

/**
 * The account with `changes` applied (a field set to `null` is removed; one left out stays), or
 * `invalid_input` naming every problem. Every store updates profiles through it.
 */
export function applyProfileChanges(account: Account, changes: ProfileChanges): Account {
  const next: Record<string, unknown> = { ...account };
  for (const field of TEXT) {
    const value = changes[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = typeof value === 'string' ? value.trim() : value;
  }
  const problems = checkAccountInput(next as unknown as Account);
  for (const field of TEXT) if (next[field] !== undefined && typeof next[field] !== 'string') problems.push(`${field}: must be a string or null`);
  if (changes.email_verified !== undefined) {
    if (typeof changes.email_verified !== 'boolean') problems.push('email_verified: must be true or false');
    next.email_verified = changes.email_verified;
  }
  if (changes.groups !== undefined) {
    problems.push(...checkGroups(changes.groups));
    const groups = problems.length ? [] : normalizeGroups(changes.groups);
    if (groups.length) next.groups = groups;
    else delete next.groups;
  }
  if (problems.length) throw new UserStoreError('invalid_input', problems.join('; '));
  return Object.freeze({ ...next, updated_at: nowSeconds() }) as Account;
}
