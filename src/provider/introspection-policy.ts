import type { Configuration } from 'oidc-provider';

import type { ResourceServer } from '../config/load-config.ts';

type Introspection = NonNullable<NonNullable<Configuration['features']>['introspection']>;
type AllowedPolicy = NonNullable<Introspection['allowedPolicy']>;

/**
 * The engine's `features.introspection.allowedPolicy`: a token is described only to the client
 * it was issued to, or to a client named in `introspectors` of a resource server the token is
 * for (its `aud`); every other caller gets `{ "active": false }`, as for an unknown token, so an
 * answer never tells a stranger that a token exists. Refresh tokens have no audience: only their
 * own client may introspect them. Applies to opaque and JWT access tokens alike.
 */
export function introspectionPolicy(servers: readonly Pick<ResourceServer, 'audience' | 'introspectors'>[]): AllowedPolicy {
  const byAudience = new Map<string, Set<string>>();
  for (const rs of servers) {
    const allowed = byAudience.get(rs.audience) ?? new Set<string>();
    for (const id of rs.introspectors) allowed.add(id);
    byAudience.set(rs.audience, allowed);
  }
  return async (_ctx, client, token) => {
    if (token.clientId === client.clientId) return true;
    const aud = 'aud' in token ? token.aud : undefined;
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    return audiences.some((a) => byAudience.get(a)?.has(client.clientId) === true);
  };
}
