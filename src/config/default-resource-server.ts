import type { Config, ResourceServer } from './resolved-config.ts';

/**
 * The default audience (ACCESS_TOKEN_AUDIENCE, `resource_server` unless set): tokens for a
 * client that names no resource, and the algorithm of what Tessera signs for itself (ID tokens,
 * admin tokens, the revocation feed). It leads `resourceServers`.
 */
export function defaultResourceServer(config: Pick<Config, 'resourceServers'>): ResourceServer {
  return config.resourceServers[0]!;
}
