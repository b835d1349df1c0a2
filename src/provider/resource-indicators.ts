import { errors } from 'oidc-provider';
import type { Configuration, ResourceServer as EngineResourceServer } from 'oidc-provider';

import type { ResourceServer } from '../config/load-config.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { createBoundedCache } from '../support/bounded-cache.ts';
import { engineResourceServer } from './engine-resource-server.ts';

/** Resource-server and client-scope pairs remembered at most. */
const NARROWED_LIMIT = 1000;

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

/**
 * The engine's resourceIndicators feature for Tessera's resource servers: a client that names
 * no resource gets the default audience; access tokens are JWTs (RFC 9068) signed with the
 * resource server's algorithm by the active key for it (src/keys/signing-rule.ts), unless the
 * resource server asks for opaque tokens (kept in the store, checked by introspection).
 */
export function resourceIndicators(
  servers: readonly ResourceServer[],
  keys: KeySet,
  /** Indicators served only to clients whose registered `scope` names some of their scopes. */
  registeredOnly: readonly string[] = [],
): ResourceIndicators {
  const byIndicator = new Map<string, EngineResourceServer>();
  for (const rs of servers) byIndicator.set(rs.indicator, engineResourceServer(rs, keys));
  const defaultIndicator = servers[0]!.indicator;
  // What a resource server becomes for a client's registered scope, worked out once per pair
  // (the token endpoint asks on every request); bounded, as clients can be registered at runtime.
  const narrowed = createBoundedCache<string, EngineResourceServer>(NARROWED_LIMIT);

  return {
    enabled: true,
    defaultResource: async (_ctx, _client, oneOf) => oneOf ?? defaultIndicator,
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx, indicator, client) => {
      const rs = byIndicator.get(indicator);
      if (!rs) throw new errors.InvalidTarget();
      if (registeredOnly.includes(indicator) && !rs.scope.split(' ').some((s) => client.scope?.split(' ').includes(s))) {
        throw new errors.InvalidTarget();
      }
      // A client registered with a `scope` gets at most those scopes at any resource server.
      if (!client.scope) return rs;
      const key = `${indicator} ${client.scope}`;
      let info = narrowed.get(key);
      if (!info) {
        const allowed = new Set(client.scope.split(' '));
        info = {
          ...rs,
          scope: rs.scope
            .split(' ')
            .filter((s) => allowed.has(s))
            .join(' '),
        };
        narrowed.set(key, info);
      }
      return info;
    },
  };
}
