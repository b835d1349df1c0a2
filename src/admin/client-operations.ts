import type { StoredClients } from '../provider/stored-clients.ts';
import type { Revocations } from '../revocation/revocations.ts';

/** What removing a client needs: the stored clients, and what revokes a client's access tokens (absent: revocation is off). */
export interface ClientOperationDeps {
  readonly clients: StoredClients;
  readonly revocations?: Pick<Revocations, 'revokeClient'> | undefined;
}

/** Revokes the client's tokens once it can get no new ones with its old credentials; says what to run again if that fails. */
export async function revokeTokensOf(revocations: ClientOperationDeps['revocations'], clientId: string): Promise<void> {
  try {
    await revocations?.revokeClient(clientId);
  } catch (err) {
    throw new Error(
      `the client's credentials changed, but its access tokens could not be revoked (${(err as Error).message}); run: tessera revoke --client ${clientId}`,
    );
  }
}

/**
 * Removes a stored client and revokes every access token it holds at every resource server;
 * false when there is no such client. The one implementation for the admin API and
 * `tessera clients remove`. With `ifRevision`, only from that revision (a compare-and-set).
 */
export async function removeClient({ clients, revocations }: ClientOperationDeps, clientId: string, ifRevision?: string): Promise<boolean> {
  if (!(await clients.remove(clientId, ifRevision))) return false;
  await revokeTokensOf(revocations, clientId);
  return true;
}
