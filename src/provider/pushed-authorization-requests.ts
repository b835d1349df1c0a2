import type { Configuration } from 'oidc-provider';

import type { Config } from '../config/load-config.ts';

type Par = NonNullable<NonNullable<Configuration['features']>['pushedAuthorizationRequests']>;

/**
 * The engine's pushed authorization requests (RFC 9126, at `/request`): on for every client, and
 * required of every client with PAR_REQUIRED, or of one with its
 * `require_pushed_authorization_requests` metadata. A pushed request must name a registered
 * redirect URI, as a direct one must.
 */
export function pushedAuthorizationRequests(config: Pick<Config, 'parRequired'>): Par {
  return { enabled: true, requirePushedAuthorizationRequests: config.parRequired, allowUnregisteredRedirectUris: false };
}
