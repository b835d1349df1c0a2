import { z } from 'zod';

import { absoluteUrl, boolean, count, hostPort, issuerUrl, lifetime, list, milliseconds, oneOf, port, powerOfTwo, seconds, text,
  LIFETIME_SECONDS_MAX, TIMER_SECONDS_MAX } from './value-kinds.ts';

const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange'] as const;
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;

/**
 * The stored form of a client secret: `sha256$<salt>$<digest>`, both base64url, the digest
 * SHA-256 over salt and secret (src/provider/client-secret-hash.ts makes and checks it).
 */
export const CLIENT_SECRET_HASH_PATTERN = /^sha256\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/;

/** The grant type of token exchange (RFC 8693). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Claims an embedded token may not be stored under: they mean something else in an access token. */
const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id', 'act', 'may_act', 'cnf',
  'auth_time', 'acr', 'amr', 'authorization_details'];

/** An audience a client may obtain tokens for by token exchange, and the largest scope there. */
export const exchangeTargetSchema = z.object({
  /** `aud` of a configured resource server (ACCESS_TOKEN_AUDIENCE or a `resourceServers` entry). */
  audience: z.string().min(1, 'must name a resource server audience'),
  /** The largest scope an exchanged token for this audience may carry. */
  scope: list.pipe(z.array(z.string()).min(1, 'must name at least one scope')),
}).strict();

/**
 * Client metadata `token_exchange`: what the client may obtain by token exchange (RFC 8693).
 * A client without it may not use the grant (`unauthorized_client`).
 */
export const tokenExchangePolicySchema = z.object({
  /** The audiences the client may request, each with the largest scope it may get there. */
  targets: z.array(exchangeTargetSchema).min(1, 'must name at least one target'),
  /**
   * Whether the client acts as a delegate: issued tokens carry `act` naming the actor (the
   * client itself, or the subject of `actor_token`). `false`: no `act` (impersonation), and
   * `actor_token` is refused. Default true.
   */
  delegation: z.boolean({ message: 'must be true or false' }).default(true),
  /** Audiences a subject token must carry (one of them) for this client to exchange it; default any of Tessera's. */
  subject_audiences: z.array(z.string().min(1)).min(1, 'must name at least one audience').optional(),
  /**
   * Other clients whose own tokens (`sub` their client_id, as client_credentials issues them)
   * this client may present as `actor_token`, making them `act.sub`; its own tokens it always
   * may. Default none. Not with `delegation: false`.
   */
  actors: z.array(z.string().min(1, 'must be a client_id')).min(1, 'must name at least one client').optional(),
}).strict().superRefine((policy, ctx) => {
  if (policy.actors && !policy.delegation) {
    ctx.addIssue({ code: 'custom', path: ['actors'], message: 'must not be given with delegation false (a client that impersonates names no actor)' });
  }
});

/** One narrower token embedded in the client's access tokens when they carry `scope`. */
export const embedSchema = z.object({
  /** The claim of the access token that holds the embedded JWT. */
  claim: z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be a claim name (letters, digits, _ and -)')
    .refine((name) => !RESERVED_CLAIMS.includes(name), { message: `must not be one of ${RESERVED_CLAIMS.join(', ')}` }),
  /** `aud` of the embedded token: a configured resource server audience. */
  audience: z.string().min(1, 'must name a resource server audience'),
  /** Its scope: the part of the access token's scope within this list; nothing is embedded when that is empty. */
  scope: list.pipe(z.array(z.string()).min(1, 'must name at least one scope')),
  /** Its lifetime in seconds, at most that of the access token. */
  ttl: lifetime,
}).strict();

export type TokenExchangePolicy = z.infer<typeof tokenExchangePolicySchema>;
export type ExchangeTarget = z.infer<typeof exchangeTargetSchema>;
export type EmbedSetting = z.infer<typeof embedSchema>;

/**
 * `pkce_required: false` lets a confidential client leave out PKCE in an OpenID request with a
 * nonce (for libraries that send none, such as passport-openidconnect); default `true`.
 */
export const pkceRequiredSchema = z.boolean({ message: 'must be true or false' });

/** Why a client may not opt out of PKCE, if it tried: a public client always uses it. */
export function pkceOptOutProblem(client: { token_endpoint_auth_method?: unknown; pkce_required?: unknown }): string | undefined {
  return client.pkce_required === false && client.token_endpoint_auth_method === 'none'
    ? 'may be false only for a confidential client: a public client (token_endpoint_auth_method none) always uses PKCE'
    : undefined;
}

/** Client metadata as oidc-provider takes it; Tessera checks the fields whose mistakes are common. */
export const clientSchema = z.looseObject({
  client_id: z.string({ message: 'is required' }).min(1, 'is required'),
  client_secret: z.string().min(1, 'must not be empty').optional(),
  /**
   * The secret's hash instead of the secret (`sha256$<salt>$<digest>`, as
   * `tessera clients hash-secret` prints it); for client_secret_basic and client_secret_post.
   */
  client_secret_hash: z.string().regex(CLIENT_SECRET_HASH_PATTERN,
    'must be sha256$<salt>$<digest> as `tessera clients hash-secret` prints it').optional(),
  client_name: z.string().optional(),
  grant_types: z.array(z.enum(GRANT_TYPES, { message: `must be one of ${GRANT_TYPES.join(', ')}` })).optional(),
  redirect_uris: z.array(absoluteUrl).optional(),
  post_logout_redirect_uris: z.array(absoluteUrl).optional(),
  token_endpoint_auth_method: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
  scope: z.string().optional(),
  token_exchange: tokenExchangePolicySchema.optional(),
  embed: z.array(embedSchema).optional(),
  pkce_required: pkceRequiredSchema.optional(),
  /** The client must push its authorization requests (RFC 9126); PAR_REQUIRED asks it of every client. */
  require_pushed_authorization_requests: z.boolean({ message: 'must be true or false' }).optional(),
  /** RFC 9449 §5.2: every token request of the client must carry a DPoP proof (the engine enforces it). */
  dpop_bound_access_tokens: z.boolean({ message: 'must be true or false' }).optional(),
}).superRefine((client, ctx) => {
  const pkce = pkceOptOutProblem(client);
  if (pkce) ctx.addIssue({ code: 'custom', path: ['pkce_required'], message: pkce });
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  if (client.client_secret && client.client_secret_hash) {
    ctx.addIssue({ code: 'custom', path: ['client_secret_hash'], message: 'must not be given with client_secret (give one of them)' });
  } else if (client.client_secret_hash && !['client_secret_basic', 'client_secret_post'].includes(method)) {
    ctx.addIssue({ code: 'custom', path: ['client_secret_hash'], message: `works with client_secret_basic and client_secret_post only (not ${method})` });
  } else if (method.startsWith('client_secret') && !client.client_secret && !client.client_secret_hash) {
    ctx.addIssue({ code: 'custom', path: ['client_secret'], message: `is required for token_endpoint_auth_method ${method}` });
  }
  const grants = client.grant_types ?? ['authorization_code'];
  if (grants.includes('authorization_code') && !client.redirect_uris?.length) {
    ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'needs at least one URL for the authorization_code grant' });
  }
  if (client.token_exchange?.actors?.includes(client.client_id)) {
    ctx.addIssue({ code: 'custom', path: ['token_exchange', 'actors'], message: `must not name the client itself (${client.client_id}): its own tokens are always accepted` });
  }
  if (grants.includes(TOKEN_EXCHANGE_GRANT) !== (client.token_exchange !== undefined)) {
    ctx.addIssue({ code: 'custom', path: client.token_exchange ? ['grant_types'] : ['token_exchange'],
      message: client.token_exchange ? `must include ${TOKEN_EXCHANGE_GRANT} for token_exchange` : `is required for the ${TOKEN_EXCHANGE_GRANT} grant` });
  }
  // Token exchange issues bearer tokens only, so it would hand such a client unbound tokens.
  if (client.dpop_bound_access_tokens === true && grants.includes(TOKEN_EXCHANGE_GRANT)) {
    ctx.addIssue({ code: 'custom', path: ['dpop_bound_access_tokens'], message: `cannot be true with the ${TOKEN_EXCHANGE_GRANT} grant, which issues bearer tokens only` });
  }
});

export type ClientMetadata = z.infer<typeof clientSchema>;

/** A resource server (API) that access tokens can be issued for. */
export const resourceServerSchema = z.object({
  /** RFC 8707 resource indicator a client sends as `resource`; an absolute URI. */
  indicator: absoluteUrl,
  /** `aud` of its tokens; defaults to the indicator. */
  audience: text().optional(),
  /** Scopes its tokens may carry. */
  scopes: list.default([]),
  /** Token lifetime in seconds; defaults to ACCESS_TOKEN_TTL. */
  accessTokenTTL: lifetime.optional(),
  /** `jwt` (RFC 9068) or `opaque`; defaults to ACCESS_TOKEN_FORMAT. */
  accessTokenFormat: z.enum(['jwt', 'opaque'], { message: 'must be jwt or opaque' }).optional(),
  /** JWS algorithm of its tokens; defaults to ACCESS_TOKEN_ALG. */
  signingAlg: z.enum(SIGNING_ALGS, { message: `must be one of ${SIGNING_ALGS.join(', ')}` }).optional(),
  /**
   * Clients (by `client_id`) that may introspect tokens for this audience besides the client
   * each token was issued to; default none.
   */
  introspectors: list.optional(),
  /** The claim of its access tokens that carries the user's groups; unset: no groups in its tokens. */
  groupsClaim: z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be a claim name (letters, digits, _ and -)')
    .refine((name) => !RESERVED_CLAIMS.includes(name), { message: `must not be one of ${RESERVED_CLAIMS.join(', ')}` }).optional(),
  /** Only these groups go into its tokens (the groups it knows); unset: all of the user's groups. Needs groupsClaim. */
  groups: list.pipe(z.array(z.string().min(1)).min(1, 'must name at least one group')).optional(),
}).strict().superRefine((rs, ctx) => {
  if (rs.groups && !rs.groupsClaim) ctx.addIssue({ code: 'custom', path: ['groups'], message: 'needs groupsClaim (the claim the groups go into)' });
});

/** scrypt's N as the password hasher takes it (src/accounts/scrypt-params.ts): 2^22 needs 4 GiB per hash. */
export const SCRYPT_N_MAX = 2 ** 22;
/** The login throttle forgets failures an hour after the last one (src/accounts/throttle-policy.ts). */
export const THROTTLE_WINDOW = 3600;
const WINDOW_NOTE = ', the throttle\'s window of an hour';

export const configSchema = z.object({
  nodeEnv: oneOf(['development', 'production', 'test'], 'must be development, production or test').default('development'),
  issuer: issuerUrl.optional(),
  host: text().default('0.0.0.0'),
  port: port.default(3000),
  logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  trustProxy: boolean.default(false),
  /** Where audit events go: `stdout`, `stderr` or a file path (checked in check-audit-log.ts). */
  auditLog: text().default('stdout'),
  /** Revocation of JWT access tokens across the fleet: RFC 7009 of JWTs, the feed resource servers follow, the grant_ref claim. */
  revocation: boolean.default(true),
  redisUrl: z.string({ message: 'must be a redis:// or rediss:// URL' }).refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
    message: 'must be a redis:// or rediss:// URL',
  }).optional(),
  redisClusterNodes: list.pipe(z.array(hostPort('node'))).optional(),
  redisSentinels: list.pipe(z.array(hostPort('sentinel'))).optional(),
  redisSentinelName: text().default('mymaster'),
  redisPassword: text(false).optional(),
  redisTls: boolean.default(false),
  redisCommandTimeout: milliseconds(100, 60000).default(2000),
  redisKeyPrefix: text(false).default('tessera:'),
  certsDir: text().default('./certs'),
  certsPassphrase: text(false).optional(),
  keysStore: oneOf(['files', 'redis'], 'must be files or redis').default('files'),
  keysEncryptionKey: text(false).optional(),
  keysEncryptionKeyFile: text().optional(),
  jwksMaxAge: lifetime.default(300),
  /** Seconds the discovery document may be cached (`Cache-Control: public, max-age`). */
  discoveryMaxAge: lifetime.default(3600),
  keysReloadInterval: seconds(0, TIMER_SECONDS_MAX).default(60),
  keyRotationInterval: seconds(0, LIFETIME_SECONDS_MAX).default(0),
  cookieKeys: list.pipe(z.array(z.string().min(32, 'each key must be at least 32 characters long'))).optional(),
  dpopNonceSecret: z.string({ message: 'must be at least 32 characters (the same on every instance)' })
    .min(32, 'must be at least 32 characters (the same on every instance)').optional(),
  accessTokenAudience: text().default('resource_server'),
  accessTokenResource: absoluteUrl.optional(),
  accessTokenScopes: list.default(['api:read', 'api:write']),
  accessTokenAlg: oneOf(SIGNING_ALGS).default('ES256'),
  accessTokenFormat: oneOf(['jwt', 'opaque'], 'must be jwt or opaque').default('jwt'),
  accessTokenTTL: lifetime.default(3600),
  accessTokenIntrospectors: list.default([]),
  authorizationCodeTTL: lifetime.default(60),
  idTokenTTL: lifetime.default(3600),
  refreshTokenTTL: lifetime.default(14 * 24 * 3600),
  refreshTokenReuseGrace: seconds(0, 300).default(0),
  sessionTTL: lifetime.default(14 * 24 * 3600),
  interactionTTL: lifetime.default(600),
  /** Every client must push its authorization requests (RFC 9126) before sending the browser to /auth. */
  parRequired: boolean.default(false),
  grantTTL: lifetime.default(14 * 24 * 3600),
  // The user store refuses passwords longer than 1024 characters (src/accounts/account-input.ts).
  passwordMinLength: count(1, 1024).default(8),
  passwordScryptN: powerOfTwo(1024, SCRYPT_N_MAX).default(32768),
  loginThrottleUserFreeFailures: count(0, 1_000_000).default(5),
  // From the first back-off (2 s per username, 1 s per address) to the window.
  loginThrottleUserMaxDelay: seconds(2, THROTTLE_WINDOW, WINDOW_NOTE).default(900),
  loginThrottleIpFreeFailures: count(0, 1_000_000).default(50),
  loginThrottleIpMaxDelay: seconds(1, THROTTLE_WINDOW, WINDOW_NOTE).default(600),
  /** Seconds a rotated client's previous secret still authenticates it (0: not at all). */
  clientSecretRotationGrace: seconds(0, LIFETIME_SECONDS_MAX).default(86400),
  shutdownTimeout: seconds(1, TIMER_SECONDS_MAX).default(10),
  /** Seconds between an instance's answers to the fleet roll call; silent for three, it counts as gone. */
  fleetRollCallInterval: seconds(1, 3600).default(10),
  /** Port of the metrics listener; 0: no metrics. */
  metricsPort: port.default(0),
  /** Address the metrics listener binds to: loopback unless the operator opens it. */
  metricsHost: text().default('127.0.0.1'),
  otelTracesExporter: oneOf(['otlp', 'none'], 'must be otlp or none').optional(),
  otelExporterOtlpEndpoint: issuerUrl.optional(),
  otelExporterOtlpTracesEndpoint: issuerUrl.optional(),
  otelServiceName: text().default('tessera'),
  configFile: text().optional(),
  clients: z.array(clientSchema, { message: 'must be an array of client metadata objects' }).default([]),
  resourceServers: z.array(resourceServerSchema, { message: 'must be an array of resource server objects' }).default([]),
}).strict();

export type SigningAlg = (typeof SIGNING_ALGS)[number];
export type ResourceServerSetting = z.infer<typeof resourceServerSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
