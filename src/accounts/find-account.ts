import type { FindAccount } from 'oidc-provider';

import { accountClaims } from './account-claims.ts';
import type { UserStore } from './user-store.ts';

/**
 * oidc-provider's `findAccount` on a {@link UserStore}: a disabled or deleted account resolves
 * `undefined`, so the engine stops issuing and refreshing tokens for it. The account's
 * `claims(use, scope)` releases claims by scope (see {@link accountClaims}).
 *
 * @example
 * new Provider(issuer, { findAccount: createFindAccount(users), claims: SCOPE_CLAIMS });
 */
export function createFindAccount(store: UserStore): FindAccount {
  return async (_ctx, sub) => {
    const account = await store.findById(sub);
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      claims: (_use, scope, requested, rejected) => accountClaims(account, scope, requested, rejected),
    };
  };
}
