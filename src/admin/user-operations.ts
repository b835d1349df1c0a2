import type { Account, UserStore } from '../accounts/user-store.ts';
import type { Revocations } from '../revocation/revocations.ts';

/** What the user operations that end access need: the user store, and what revokes a user's access tokens (absent: revocation is off). */
export interface UserOperationDeps {
  readonly users: UserStore;
  readonly revocations?: Pick<Revocations, 'revokeSubject'> | undefined;
}

/**
 * Disables or enables an account; disabling revokes every access token of the user at every
 * resource server. The one implementation for the admin API and `tessera users`. With
 * `ifRevision`, only from that revision of the account (a compare-and-set).
 */
export async function setUserDisabled({ users, revocations }: UserOperationDeps, id: string, disabled: boolean, ifRevision?: string): Promise<Account> {
  const account = await users.setDisabled(id, disabled, ifRevision);
  // Disabled first, so no new token is issued while the user's tokens are being revoked.
  if (disabled) await revocations?.revokeSubject(account.id);
  return account;
}

/**
 * Deletes an account: disabled (from `ifRevision`, when given), then its tokens revoked, then
 * deleted, so a failure on the way leaves no usable token behind and the operation can run again.
 */
export async function deleteUser(deps: UserOperationDeps, id: string, ifRevision?: string): Promise<void> {
  await setUserDisabled(deps, id, true, ifRevision);
  await deps.users.delete(id);
}
