import { checkClientAudiences } from './check-client-audiences.ts';
import { checkIntrospectors } from './check-introspectors.ts';
import type { ClientFacts } from './client-facts.ts';
import { keyPublicationLead } from './key-publication-lead.ts';
import type { Config } from './resolved-config.ts';

/**
 * Problems between settings that are each valid: more than one Redis, metrics on the public
 * port, a rotation faster than keys are published, a resource indicator or client_id used twice, clients naming unknown audiences.
 * A check that reads an invalid setting (in `invalid`, already reported) is left out; clients
 * are checked on what is valid of each (`clients`).
 */
export function checkConsistency(config: Config, invalid: ReadonlySet<string>, clients: readonly ClientFacts[]): string[] {
  const valid = (...keys: string[]): boolean => keys.every((key) => !invalid.has(key));
  const problems: string[] = [];
  const targets = [
    config.redisUrl && 'REDIS_URL',
    config.redisClusterNodes?.length && 'REDIS_CLUSTER_NODES',
    config.redisSentinels?.length && 'REDIS_SENTINELS',
  ].filter(Boolean);
  if (targets.length > 1) problems.push(`${targets.join(', ')}: set only one of them`);
  if (valid('metricsPort', 'port') && config.metricsPort !== 0 && config.metricsPort === config.port) {
    problems.push(`METRICS_PORT: must differ from PORT (${config.port}): metrics have a listener of their own, never the public one`);
  }
  const lead = keyPublicationLead(config);
  if (valid('keyRotationInterval', 'jwksMaxAge', 'keysReloadInterval') && config.keyRotationInterval > 0 && config.keyRotationInterval < lead) {
    problems.push(
      `KEY_ROTATION_INTERVAL: must be 0 or at least JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL (${lead} s), the time a new key is published before it signs`,
    );
  }
  // Until every resource server is valid, the audiences clients may name are not known.
  const audiencesKnown = valid('resourceServers', 'accessTokenResource', 'accessTokenAudience', 'accessTokenScopes');
  const seen = new Set<string>();
  config.resourceServers.forEach((rs, i) => {
    if (audiencesKnown && seen.has(rs.indicator)) {
      problems.push(
        `resourceServers (CONFIG_FILE)[${i - 1}].indicator: ${rs.indicator} is already used${i === 1 ? ' by the default audience (ACCESS_TOKEN_RESOURCE)' : ''}`,
      );
    }
    seen.add(rs.indicator);
  });
  const ids = new Set<string>();
  for (const { index, client_id: id } of clients) {
    if (id !== undefined && ids.has(id)) problems.push(`clients (CONFIG_FILE)[${index}].client_id: ${id} is used by another client`);
    if (id !== undefined) ids.add(id);
  }
  if (audiencesKnown) problems.push(...checkClientAudiences(clients, config.resourceServers));
  if (valid('clients', 'resourceServers', 'accessTokenIntrospectors')) problems.push(...checkIntrospectors(config.clients, config.resourceServers));
  return problems;
}
