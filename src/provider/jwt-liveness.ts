import type { Provider } from 'oidc-provider';

import type { Revocations } from '../revocation/revocations.ts';
import type { OwnAccessToken } from './own-access-tokens.ts';

/** Whether a verified, unexpired JWT access token of this issuer is still live (not revoked). */
export type JwtLiveness = (token: OwnAccessToken) => Promise<boolean>;

/**
 * The one answer to "is this verified JWT still live?", for userinfo and introspection alike.
 * A token issued on a grant lives as long as that grant exists, has not expired and still
 * belongs to the token's client and user; a token issued without one (client_credentials, token
 * exchange) lives until its `exp`; and no token lives once a fleet-wide revocation entry (its
 * jti, grant, subject or client: src/revocation) covers it, as resource servers refuse it.
 */
export function createJwtLiveness({ provider, revocations }: { provider: Provider; revocations?: Pick<Revocations, 'isRevoked'> | undefined }): JwtLiveness {
  return async ({ claims, grant: record }) => {
    if (revocations && await revocations.isRevoked(claims)) return false;
    if (!record) return true;
    const grant = await provider.Grant.find(record.grant, { ignoreExpiration: true });
    return !!grant && !grant.isExpired && grant.clientId === claims.client_id && grant.accountId === record.accountId;
  };
}
