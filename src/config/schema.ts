import { z } from 'zod';

const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange'] as const;
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;

const absoluteUrl = z.string().refine((value) => URL.canParse(value) && !value.includes('#'), {
  message: 'must be an absolute URL without a fragment',
});

const seconds = z.coerce.number({ message: 'must be a whole number of seconds' })
  .int('must be a whole number of seconds').positive('must be a whole number of seconds greater than 0');
/** Seconds where 0 means "off". */
const wholeSeconds = z.coerce.number({ message: 'must be a whole number of seconds (0: off)' })
  .int('must be a whole number of seconds (0: off)').min(0, 'must be a whole number of seconds (0: off)');

const boolean = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  if (['true', '1'].includes(value)) return true;
  if (['false', '0'].includes(value)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (got ${value})` });
  return z.NEVER;
});

const list = z.union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,]+/)).filter(Boolean));

/** Client metadata as oidc-provider takes it; Tessera checks the fields whose mistakes are common. */
export const clientSchema = z.looseObject({
  client_id: z.string({ message: 'is required' }).min(1, 'is required'),
  client_secret: z.string().min(1, 'must not be empty').optional(),
  client_name: z.string().optional(),
  grant_types: z.array(z.enum(GRANT_TYPES, { message: `must be one of ${GRANT_TYPES.join(', ')}` })).optional(),
  redirect_uris: z.array(absoluteUrl).optional(),
  post_logout_redirect_uris: z.array(absoluteUrl).optional(),
  token_endpoint_auth_method: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
  scope: z.string().optional(),
}).superRefine((client, ctx) => {
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  if (method.startsWith('client_secret') && !client.client_secret) {
    ctx.addIssue({ code: 'custom', path: ['client_secret'], message: `is required for token_endpoint_auth_method ${method}` });
  }
  const grants = client.grant_types ?? ['authorization_code'];
  if (grants.includes('authorization_code') && !client.redirect_uris?.length) {
    ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'needs at least one URL for the authorization_code grant' });
  }
});

export type ClientMetadata = z.infer<typeof clientSchema>;

/** A resource server (API) that access tokens can be issued for. */
export const resourceServerSchema = z.object({
  /** RFC 8707 resource indicator a client sends as `resource`; an absolute URI. */
  indicator: absoluteUrl,
  /** `aud` of its tokens; defaults to the indicator. */
  audience: z.string().min(1).optional(),
  /** Scopes its tokens may carry. */
  scopes: list.default([]),
  /** Token lifetime in seconds; defaults to ACCESS_TOKEN_TTL. */
  accessTokenTTL: seconds.optional(),
  /** `jwt` (RFC 9068) or `opaque`; defaults to ACCESS_TOKEN_FORMAT. */
  accessTokenFormat: z.enum(['jwt', 'opaque'], { message: 'must be jwt or opaque' }).optional(),
  /** JWS algorithm of its tokens; defaults to ACCESS_TOKEN_ALG. */
  signingAlg: z.enum(SIGNING_ALGS, { message: `must be one of ${SIGNING_ALGS.join(', ')}` }).optional(),
}).strict();

export const configSchema = z.object({
  nodeEnv: z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).default('development'),
  issuer: absoluteUrl.optional(),
  host: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number({ message: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535').min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535').default(3000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  trustProxy: boolean.default(false),
  redisUrl: z.string().refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
    message: 'must be a redis:// or rediss:// URL',
  }).optional(),
  redisClusterNodes: list.pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'each node must be host:port'))).optional(),
  redisSentinels: list.pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'each sentinel must be host:port'))).optional(),
  redisSentinelName: z.string().min(1).default('mymaster'),
  redisPassword: z.string().optional(),
  redisTls: boolean.default(false),
  redisCommandTimeout: z.coerce.number({ message: 'must be a whole number of milliseconds from 100 to 60000' }).int('must be a whole number of milliseconds from 100 to 60000')
    .min(100, 'must be a whole number of milliseconds from 100 to 60000').max(60000, 'must be a whole number of milliseconds from 100 to 60000').default(2000),
  redisKeyPrefix: z.string().default('tessera:'),
  certsDir: z.string().min(1).default('./certs'),
  certsPassphrase: z.string().optional(),
  jwksMaxAge: seconds.default(300),
  keysReloadInterval: wholeSeconds.default(60),
  keyRotationInterval: wholeSeconds.default(0),
  cookieKeys: list.pipe(z.array(z.string().min(32, 'each key must be at least 32 characters long'))).optional(),
  accessTokenAudience: z.string().min(1, 'must not be empty').default('resource_server'),
  accessTokenResource: absoluteUrl.optional(),
  accessTokenScopes: list.default(['api:read', 'api:write']),
  accessTokenAlg: z.enum(SIGNING_ALGS, { message: `must be one of ${SIGNING_ALGS.join(', ')}` }).default('ES256'),
  accessTokenFormat: z.enum(['jwt', 'opaque'], { message: 'must be jwt or opaque' }).default('jwt'),
  accessTokenTTL: seconds.default(3600),
  authorizationCodeTTL: seconds.default(60),
  idTokenTTL: seconds.default(3600),
  refreshTokenTTL: seconds.default(14 * 24 * 3600),
  refreshTokenReuseGrace: z.coerce.number({ message: 'must be a whole number of seconds' }).int('must be a whole number of seconds')
    .min(0, 'must be 0 or more seconds').max(300, 'must be at most 300 seconds').default(0),
  sessionTTL: seconds.default(14 * 24 * 3600),
  interactionTTL: seconds.default(600),
  grantTTL: seconds.default(14 * 24 * 3600),
  passwordMinLength: seconds.default(8),
  passwordScryptN: seconds.refine((n) => Number.isInteger(Math.log2(n)) && n >= 1024, { message: 'must be a power of two of at least 1024' }).default(32768),
  loginThrottleUserFreeFailures: seconds.default(5),
  loginThrottleUserMaxDelay: seconds.default(900),
  loginThrottleIpFreeFailures: seconds.default(50),
  loginThrottleIpMaxDelay: seconds.default(600),
  shutdownTimeout: seconds.default(10),
  configFile: z.string().optional(),
  clients: z.array(clientSchema).default([]),
  resourceServers: z.array(resourceServerSchema).default([]),
}).strict();

export type SigningAlg = (typeof SIGNING_ALGS)[number];
export type ResourceServerSetting = z.infer<typeof resourceServerSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
