import type { AccountClaims, ClaimsParameterMember } from 'oidc-provider';

import type { Account } from './user-store.ts';

/** The claims each scope releases; the provider's `claims` configuration can use it as is. */
export const SCOPE_CLAIMS = Object.freeze({
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
} as const);

/**
 * The claims of `account` for a space-separated `scope`: `sub` always, a scope's claims when
 * it is granted, and single claims asked for by name (the `claims` request parameter) unless
 * the end-user rejected them. Absent profile fields are left out.
 */
export function accountClaims(
  account: Account,
  scope: string,
  requested: Record<string, null | ClaimsParameterMember> = {},
  rejected: readonly string[] = [],
): AccountClaims {
  const all: Record<string, unknown> = {
    name: account.name,
    given_name: account.given_name,
    family_name: account.family_name,
    preferred_username: account.username,
    updated_at: account.updated_at,
    email: account.email,
    email_verified: account.email === undefined ? undefined : account.email_verified,
    groups: account.groups === undefined ? undefined : [...account.groups],
  };
  const granted = new Set(scope.split(' '));
  const released = new Set<string>(Object.keys(requested).filter((claim) => !rejected.includes(claim)));
  for (const name of ['profile', 'email', 'groups'] as const) {
    if (granted.has(name)) for (const claim of SCOPE_CLAIMS[name]) released.add(claim);
  }
  const claims: AccountClaims = { sub: account.id };
  for (const claim of released) if (all[claim] !== undefined) claims[claim] = all[claim];
  return claims;
}
