import type { Configuration } from 'oidc-provider';

import type { Config } from '../config/load-config.ts';

/** How long each of the engine's records lives: access tokens as long as their resource server says, the rest as the settings say. */
export function engineTtls(config: Config): NonNullable<Configuration['ttl']> {
  return {
    AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.accessTokenTTL,
    ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.accessTokenTTL,
    AuthorizationCode: config.authorizationCodeTTL,
    IdToken: config.idTokenTTL,
    RefreshToken: config.refreshTokenTTL,
    Session: config.sessionTTL,
    Interaction: config.interactionTTL,
    Grant: config.grantTTL,
  };
}
