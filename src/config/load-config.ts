import { readFileSync } from 'node:fs';

import type { z } from 'zod';

import { DEV_KEY_PREFIX, listKeyFiles } from '../keys/key-files.ts';
import { checkClientAudiences } from './check-client-audiences.ts';
import { ConfigError } from './config-error.ts';
import { configSchema } from './schema.ts';
import type { ParsedConfig, ResourceServerSetting, SigningAlg } from './schema.ts';
import { SETTINGS } from './settings.ts';

/** Cookie key used when COOKIE_KEYS is unset in development; production refuses it. */
export const DEV_COOKIE_KEY = 'tessera-development-cookie-key-do-not-use-in-production';

/** A resource server with every default resolved. */
export interface ResourceServer {
  readonly indicator: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly accessTokenTTL: number;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly signingAlg: SigningAlg;
  /** The claim of its access tokens that carries the user's groups, if any. */
  readonly groupsClaim?: string | undefined;
  /** The groups it may see; undefined: all. */
  readonly groups?: readonly string[] | undefined;
}

/** Where Redis is: one server, a master watched by sentinels, or a cluster. */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string; readonly commandTimeout: number }
  | { readonly kind: 'sentinel' | 'cluster'; readonly nodes: readonly { host: string; port: number }[]; readonly name: string;
      readonly password?: string | undefined; readonly tls: boolean; readonly commandTimeout: number };

/** Tessera's validated, defaulted and frozen configuration. */
export interface Config extends Omit<ParsedConfig, 'issuer' | 'cookieKeys' | 'resourceServers' | 'accessTokenResource'> {
  readonly issuer: string;
  readonly cookieKeys: readonly string[];
  readonly accessTokenResource: string;
  /** The default audience first, then the configured resource servers. */
  readonly resourceServers: readonly ResourceServer[];
  readonly production: boolean;
  /** Redis, when one of REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is set. */
  readonly redis?: RedisTarget | undefined;
}

type Env = Record<string, string | undefined>;

/**
 * Reads the settings from the environment and CONFIG_FILE, validates them once and returns
 * them frozen. Throws a ConfigError that lists every problem, each naming its setting.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const fromFile = readConfigFile(env.CONFIG_FILE, problems);
  const raw: Record<string, unknown> = { ...fromFile };
  const names = new Map<string, string>([['clients', 'clients (CONFIG_FILE)'], ['resourceServers', 'resourceServers (CONFIG_FILE)']]);
  for (const setting of SETTINGS) {
    names.set(setting.key, setting.env);
    const name = [setting.env, ...(setting.aliases ?? [])].find((n) => env[n] !== undefined && env[n] !== '');
    if (name) raw[setting.key] = env[name];
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, names)));
    throw new ConfigError(problems);
  }
  if (problems.length) throw new ConfigError(problems);

  const config = resolveDefaults(parsed.data);
  problems.push(...checkConsistency(config));
  if (config.production) problems.push(...productionProblems(config, parsed.data));
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(config);
}

function readConfigFile(path: string | undefined, problems: string[]): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`CONFIG_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    problems.push(`CONFIG_FILE: ${path} must hold a JSON object`);
  } catch (err) {
    problems.push(`CONFIG_FILE: ${path} is not valid JSON (${(err as Error).message})`);
  }
  return {};
}

function describeIssue(issue: z.core.$ZodIssue, names: Map<string, string>): string {
  const [head, ...rest] = issue.path;
  const setting = head === undefined ? 'CONFIG_FILE' : names.get(String(head)) ?? String(head);
  const where = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    return `${setting}${where}: unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
      + (head === undefined ? ' (the README lists the valid keys)' : '');
  }
  return `${setting}${where}: ${issue.message}`;
}

function resolveDefaults(parsed: ParsedConfig): Config {
  const production = parsed.nodeEnv === 'production';
  const audience = parsed.accessTokenAudience;
  const accessTokenResource = parsed.accessTokenResource
    ?? (/^[a-z][a-z0-9+.-]*:/i.test(audience) && URL.canParse(audience) ? audience : `urn:tessera:${audience}`);
  const defaultServer: ResourceServer = {
    indicator: accessTokenResource,
    audience,
    scopes: parsed.accessTokenScopes,
    accessTokenTTL: parsed.accessTokenTTL,
    accessTokenFormat: parsed.accessTokenFormat,
    signingAlg: parsed.accessTokenAlg,
  };
  return {
    ...parsed,
    production,
    redis: redisTarget(parsed),
    issuer: parsed.issuer ?? (production ? '' : `http://localhost:${parsed.port}`),
    cookieKeys: parsed.cookieKeys?.length ? parsed.cookieKeys : [DEV_COOKIE_KEY],
    accessTokenResource,
    resourceServers: [defaultServer, ...parsed.resourceServers.map((rs) => withDefaults(rs, parsed))],
  };
}

function redisTarget(parsed: ParsedConfig): RedisTarget | undefined {
  const commandTimeout = parsed.redisCommandTimeout;
  if (parsed.redisUrl) return { kind: 'standalone', url: parsed.redisUrl, commandTimeout };
  const [kind, list] = parsed.redisClusterNodes?.length ? ['cluster', parsed.redisClusterNodes] as const
    : parsed.redisSentinels?.length ? ['sentinel', parsed.redisSentinels] as const : [undefined, []] as const;
  if (!kind) return undefined;
  const nodes = list.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
  return { kind, nodes, name: parsed.redisSentinelName, password: parsed.redisPassword, tls: parsed.redisTls, commandTimeout };
}

function withDefaults(rs: ResourceServerSetting, parsed: ParsedConfig): ResourceServer {
  return {
    indicator: rs.indicator,
    audience: rs.audience ?? rs.indicator,
    scopes: rs.scopes,
    accessTokenTTL: rs.accessTokenTTL ?? parsed.accessTokenTTL,
    accessTokenFormat: rs.accessTokenFormat ?? parsed.accessTokenFormat,
    signingAlg: rs.signingAlg ?? parsed.accessTokenAlg,
    ...(rs.groupsClaim ? { groupsClaim: rs.groupsClaim, ...(rs.groups ? { groups: rs.groups } : {}) } : {}),
  };
}

/**
 * Seconds a new signing key is published before it signs: by then every resource server's
 * cached JWKS (JWKS_MAX_AGE) and every instance's periodic key reload (KEYS_RELOAD_INTERVAL)
 * include it.
 */
export function keyPublicationLead(config: Pick<Config, 'jwksMaxAge' | 'keysReloadInterval'>): number {
  return config.jwksMaxAge + config.keysReloadInterval;
}

function checkConsistency(config: Config): string[] {
  const problems: string[] = [];
  const targets = [config.redisUrl && 'REDIS_URL', config.redisClusterNodes?.length && 'REDIS_CLUSTER_NODES', config.redisSentinels?.length && 'REDIS_SENTINELS'].filter(Boolean);
  if (targets.length > 1) problems.push(`${targets.join(', ')}: set only one of them`);
  const lead = keyPublicationLead(config);
  if (config.keyRotationInterval > 0 && config.keyRotationInterval < lead) {
    problems.push(`KEY_ROTATION_INTERVAL: must be 0 or at least JWKS_MAX_AGE + KEYS_RELOAD_INTERVAL (${lead} s), the time a new key is published before it signs`);
  }
  const seen = new Set<string>();
  config.resourceServers.forEach((rs, i) => {
    if (seen.has(rs.indicator)) {
      problems.push(`resourceServers (CONFIG_FILE)[${i - 1}].indicator: ${rs.indicator} is already used${i === 1 ? ' by the default audience (ACCESS_TOKEN_RESOURCE)' : ''}`);
    }
    seen.add(rs.indicator);
  });
  const ids = new Set<string>();
  config.clients.forEach((client, i) => {
    if (ids.has(client.client_id)) problems.push(`clients (CONFIG_FILE)[${i}].client_id: ${client.client_id} is used by another client`);
    ids.add(client.client_id);
  });
  problems.push(...checkClientAudiences(config.clients, config.resourceServers));
  return problems;
}

function productionProblems(config: Config, parsed: ParsedConfig): string[] {
  const problems: string[] = [];
  if (!parsed.issuer) problems.push('ISSUER: is required in production (the public https URL of Tessera)');
  else if (!parsed.issuer.startsWith('https://')) problems.push(`ISSUER: must be an https URL in production (got ${parsed.issuer})`);
  if (!config.redis) problems.push('REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)');
  if (!parsed.cookieKeys?.length) problems.push('COOKIE_KEYS: is required in production (comma-separated random keys of at least 32 characters)');
  else if (parsed.cookieKeys.includes(DEV_COOKIE_KEY)) problems.push('COOKIE_KEYS: the development cookie key must not be used in production');
  const files = listKeyFiles(config.certsDir).filter((f) => f.kind !== 'certificate');
  if (!files.length) {
    problems.push(`CERTS_DIR: ${config.certsDir} holds no signing key (.pem, .key, .pfx or .p12); production does not generate keys`);
  }
  for (const file of files.filter((f) => f.name.startsWith(DEV_KEY_PREFIX))) {
    problems.push(`CERTS_DIR: ${file.name} was made by the development key generator; use keys of your own in production`);
  }
  config.clients.forEach((client, i) => {
    if (client.client_secret !== undefined && client.client_secret.length < 32) {
      problems.push(`clients (CONFIG_FILE)[${i}].client_secret: the secret of ${client.client_id} is too weak for production (at least 32 characters)`);
    }
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
