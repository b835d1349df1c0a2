import type { Config } from '../config/load-config.ts';

/**
 * Seconds an entry outlives the longest token it covers: resource servers accept a token for
 * their clock tolerance after its `exp` (the kit's default is 5 s).
 */
export const EXPIRY_MARGIN = 60;

/**
 * The longest an access token of this configuration can be valid: ACCESS_TOKEN_TTL or a
 * resource server's own TTL; exchanged and embedded tokens are never longer than the
 * target's TTL or their parent token.
 */
export function longestTokenLifetime(config: Pick<Config, 'accessTokenTTL' | 'resourceServers'>): number {
  return Math.max(config.accessTokenTTL, ...config.resourceServers.map((rs) => rs.accessTokenTTL ?? config.accessTokenTTL));
}
