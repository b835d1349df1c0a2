import type { Provider } from 'oidc-provider';

import type { Revocations } from '../revocation/revocations.ts';
import type { OwnAccessToken } from './own-access-tokens.ts';

/** Whether a verified, unexpired JWT access token of this issuer is still live (not revoked), in two questions asked at once. */
export interface JwtLiveness {
  /** Whether a fleet-wide revocation entry covers the token: needs its claims only, so it is asked as soon as they are verified. */
  revoked(claims: OwnAccessToken['claims']): Promise<boolean>;
  /** Whether the token is live, given the answer of {@link JwtLiveness.revoked} asked for it in this request. */
  isLive(token: OwnAccessToken, revoked: Promise<boolean>): Promise<boolean>;
}

/**
 * The one answer to "is this verified JWT still live?", for userinfo and introspection alike.
 * A token issued on a grant lives as long as that grant exists, has not expired and still
 * belongs to the token's client and user; a token issued without one (client_credentials, token
 * exchange) lives until its `exp`; and no token lives once a fleet-wide revocation entry (its
 * jti, grant, subject or client: src/revocation) covers it, as resource servers refuse it. The
 * grant and the revocation entries are read at the same time: both must let the token through.
 */
export function createJwtLiveness({ provider, revocations }: { provider: Provider; revocations?: Pick<Revocations, 'isRevoked'> | undefined }): JwtLiveness {
  async function grantLives({ claims, grant: record }: OwnAccessToken): Promise<boolean> {
    if (!record) return true;
    const grant = await provider.Grant.find(record.grant, { ignoreExpiration: true });
    return !!grant && !grant.isExpired && grant.clientId === claims.client_id && grant.accountId === record.accountId;
  }
  return {
    revoked: async (claims) => (revocations ? revocations.isRevoked(claims) : false),
    async isLive(token, revoked) {
      const [covered, lives] = await Promise.all([revoked, grantLives(token)]);
      return !covered && lives;
    },
  };
}
