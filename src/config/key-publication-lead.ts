import type { Config } from './resolved-config.ts';

/**
 * Seconds a new signing key is published before it signs: by then every resource server's
 * cached JWKS (JWKS_MAX_AGE) and every instance's periodic key reload (KEYS_RELOAD_INTERVAL)
 * include it.
 */
export function keyPublicationLead(config: Pick<Config, 'jwksMaxAge' | 'keysReloadInterval'>): number {
  return config.jwksMaxAge + config.keysReloadInterval;
}
