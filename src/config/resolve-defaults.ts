import { redisTarget } from './redis-target.ts';
import { tracingTarget } from './tracing-target.ts';
import type { Config, ResourceServer } from './resolved-config.ts';
import type { ParsedConfig } from './schema.ts';
import type { ResourceServerSetting } from './resource-server-schema.ts';

/** Cookie key used when COOKIE_KEYS is unset in development; production refuses it. */
export const DEV_COOKIE_KEY = 'tessera-development-cookie-key-do-not-use-in-production';

/** The configuration with what depends on other settings filled in: issuer, cookie keys, Redis, resource servers. */
export function resolveDefaults(parsed: ParsedConfig): Config {
  const production = parsed.nodeEnv === 'production';
  const audience = parsed.accessTokenAudience;
  const accessTokenResource =
    parsed.accessTokenResource ?? (/^[a-z][a-z0-9+.-]*:/i.test(audience) && URL.canParse(audience) ? audience : `urn:tessera:${audience}`);
  const defaultServer: ResourceServer = {
    indicator: accessTokenResource,
    audience,
    scopes: parsed.accessTokenScopes,
    accessTokenTTL: parsed.accessTokenTTL,
    accessTokenFormat: parsed.accessTokenFormat,
    signingAlg: parsed.accessTokenAlg,
    introspectors: parsed.accessTokenIntrospectors,
  };
  return {
    ...parsed,
    production,
    redis: redisTarget(parsed),
    tracing: tracingTarget(parsed),
    issuer: parsed.issuer ?? (production ? '' : `http://localhost:${parsed.port}`),
    cookieKeys: parsed.cookieKeys?.length ? parsed.cookieKeys : [DEV_COOKIE_KEY],
    accessTokenResource,
    resourceServers: [defaultServer, ...parsed.resourceServers.map((rs) => withDefaults(rs, parsed))],
  };
}

function withDefaults(rs: ResourceServerSetting, parsed: ParsedConfig): ResourceServer {
  return {
    indicator: rs.indicator,
    audience: rs.audience ?? rs.indicator,
    scopes: rs.scopes,
    accessTokenTTL: rs.accessTokenTTL ?? parsed.accessTokenTTL,
    accessTokenFormat: rs.accessTokenFormat ?? parsed.accessTokenFormat,
    signingAlg: rs.signingAlg ?? parsed.accessTokenAlg,
    introspectors: rs.introspectors ?? [],
    ...(rs.groupsClaim ? { groupsClaim: rs.groupsClaim, ...(rs.groups ? { groups: rs.groups } : {}) } : {}),
  };
}
