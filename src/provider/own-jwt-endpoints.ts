import type { AdapterConstructor, AdapterFactory, Provider } from 'oidc-provider';

import type { KeySet } from '../keys/load-keys.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { createAccessTokenGrants } from './access-token-grants.ts';
import { lookUpJwtAccessTokens } from './jwt-access-token-lookup.ts';
import { createJwtLiveness } from './jwt-liveness.ts';
import { createOwnAccessTokenReader } from './own-access-tokens.ts';
import { completeTokenResponses } from './token-response-scope.ts';

/**
 * Serves Tessera's JWT access tokens at the engine's userinfo and introspection endpoints: the
 * code flow's access token stays the resource servers' RFC 9068 JWT and is also accepted at
 * userinfo for the OpenID scopes granted with it; introspection describes any live JWT access
 * token of this issuer. Call {@link introspectJwts} before the Provider is built.
 */
export function serveOwnJwts(
  provider: Provider,
  {
    keys,
    adapter,
    algorithms,
    revocations,
  }: {
    keys: KeySet;
    /** Fleet-wide revocations: a revoked token is inactive at introspection and refused at userinfo. */
    revocations?: Pick<Revocations, 'isRevoked'> | undefined;
    adapter: AdapterConstructor | AdapterFactory | undefined;
    /** The algorithms Tessera's access tokens are signed with. */
    algorithms: readonly string[];
  },
): void {
  const grants = createAccessTokenGrants(adapter);
  const read = createOwnAccessTokenReader({ provider, keys, algorithms, grants, liveness: createJwtLiveness({ provider, revocations }) });
  lookUpJwtAccessTokens(provider, read);
  completeTokenResponses(provider, grants);
}
