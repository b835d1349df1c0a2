import { DEV_KEY_PREFIX, listKeyFiles } from './key-files.ts';
import type { ClientFacts } from './client-facts.ts';
import { DEV_COOKIE_KEY } from './resolve-defaults.ts';
import type { Config } from './resolved-config.ts';
import type { ParsedConfig } from './schema.ts';

/**
 * What production refuses: an issuer that is missing or not https, no Redis, missing or
 * development cookie keys, no keys or development keys in CERTS_DIR, weak client secrets.
 * A check that reads an invalid setting (in `invalid`, already reported) is left out; clients
 * are checked on what is valid of each (`clients`).
 */
export function checkProduction(config: Config, parsed: ParsedConfig, invalid: ReadonlySet<string>, clients: readonly ClientFacts[]): string[] {
  const valid = (...keys: string[]): boolean => keys.every((key) => !invalid.has(key));
  const problems: string[] = [];
  if (valid('issuer')) {
    if (!parsed.issuer) problems.push('ISSUER: is required in production (the public https URL of Tessera)');
    else if (!parsed.issuer.startsWith('https://')) problems.push(`ISSUER: must be an https URL in production (got ${parsed.issuer})`);
  }
  if (valid('redisUrl', 'redisClusterNodes', 'redisSentinels') && !config.redis) {
    problems.push('REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)');
  }
  if (valid('cookieKeys')) {
    if (!parsed.cookieKeys?.length) problems.push('COOKIE_KEYS: is required in production (comma-separated random keys of at least 32 characters)');
    else if (parsed.cookieKeys.includes(DEV_COOKIE_KEY)) problems.push('COOKIE_KEYS: the development cookie key must not be used in production');
  }
  if (valid('certsDir') && config.keysStore === 'files') problems.push(...keyFileProblems(config.certsDir));
  for (const { index, client_id: id, client_secret: secret } of clients) {
    if (secret !== undefined && secret.length < 32) {
      problems.push(`clients (CONFIG_FILE)[${index}].client_secret: the secret of ${id ?? 'this client'} is too weak for production (at least 32 characters)`);
    }
  }
  return problems;
}

/** CERTS_DIR is readable (checked before): what it holds must be keys, and not the development generator's. */
function keyFileProblems(dir: string): string[] {
  const files = listKeyFiles(dir).filter((f) => f.kind !== 'certificate');
  if (!files.length) return [`CERTS_DIR: ${dir} holds no signing key (.pem, .key, .pfx or .p12); production does not generate keys`];
  return files
    .filter((f) => f.name.startsWith(DEV_KEY_PREFIX))
    .map((file) => `CERTS_DIR: ${file.name} was made by the development key generator; use keys of your own in production`);
}
