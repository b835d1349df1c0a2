import { groupsFromField, groupsToField } from './account-groups.ts';
import type { Account } from './user-store.ts';

/** What one account HASH holds: the account and its password hash. */
export interface AccountRecord {
  readonly account: Account;
  readonly passwordHash: string;
}

/** The optional profile fields of the HASH (`groups` holds a JSON list). */
export const OPTIONAL = ['email', 'name', 'given_name', 'family_name'] as const;

/** Flattens a record into HASH field/value pairs (absent optional fields are left out). */
export function toFields({ account, passwordHash }: AccountRecord): string[] {
  const fields = [
    'id',
    account.id,
    'username',
    account.username,
    'email_verified',
    flag(account.email_verified),
    'disabled',
    flag(account.disabled),
    'created_at',
    String(account.created_at),
    'updated_at',
    String(account.updated_at),
    'password_hash',
    passwordHash,
  ];
  for (const field of OPTIONAL) {
    const value = account[field];
    if (value !== undefined) fields.push(field, value);
  }
  if (account.groups?.length) fields.push('groups', groupsToField(account.groups));
  return fields;
}

/** Reads a record back from HGETALL; `undefined` for a missing (empty) HASH. */
export function fromFields(fields: Record<string, string>): AccountRecord | undefined {
  if (!fields.id || !fields.username || fields.password_hash === undefined) return undefined;
  const account: Record<string, unknown> = {
    id: fields.id,
    username: fields.username,
    email_verified: fields.email_verified === '1',
    disabled: fields.disabled === '1',
    created_at: Number(fields.created_at),
    updated_at: Number(fields.updated_at),
  };
  for (const field of OPTIONAL) if (fields[field] !== undefined) account[field] = fields[field];
  const groups = groupsFromField(fields.groups);
  if (groups.length) account.groups = groups;
  return { account: account as unknown as Account, passwordHash: fields.password_hash };
}

/** How a boolean is stored. */
export function flag(value: boolean): string {
  return value ? '1' : '0';
}
