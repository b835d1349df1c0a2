import { defaultResourceServer } from '../config/default-resource-server.ts';
import type { Config, ResourceServer } from '../config/load-config.ts';

/** `aud` of the access tokens the admin API accepts. */
export const ADMIN_AUDIENCE = 'tessera-admin';
/** The resource indicator (RFC 8707) a client sends as `resource` to get an admin token. */
export const ADMIN_INDICATOR = 'urn:tessera:admin';
/** One scope per area of the admin API. */
export const ADMIN_SCOPES = ['admin:clients', 'admin:users', 'admin:sessions', 'admin:keys'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];
/** The longest lifetime of an admin token, in seconds (shorter when ACCESS_TOKEN_TTL is). */
const ADMIN_TOKEN_TTL = 900;

/**
 * The built-in resource server of the admin API: JWT access tokens signed with the default
 * audience's algorithm. Only clients whose registered `scope` names admin scopes get its tokens
 * (src/provider/resource-indicators.ts), and only those scopes.
 */
export function adminResourceServer(config: Pick<Config, 'accessTokenTTL' | 'resourceServers'>): ResourceServer {
  return {
    indicator: ADMIN_INDICATOR,
    audience: ADMIN_AUDIENCE,
    scopes: [...ADMIN_SCOPES],
    accessTokenTTL: Math.min(config.accessTokenTTL, ADMIN_TOKEN_TTL),
    accessTokenFormat: 'jwt',
    signingAlg: defaultResourceServer(config).signingAlg,
    introspectors: [],
  };
}
