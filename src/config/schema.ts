import { z } from 'zod';

import { clientSchema } from './client-schema.ts';
import { resourceServerSchema } from './resource-server-schema.ts';
import { SIGNING_ALGS } from './signing-algorithms.ts';
import {
  absoluteUrl,
  boolean,
  count,
  hostPort,
  issuerUrl,
  lifetime,
  list,
  milliseconds,
  oneOf,
  port,
  powerOfTwo,
  seconds,
  text,
  LIFETIME_SECONDS_MAX,
  TIMER_SECONDS_MAX,
} from './value-kinds.ts';

/** scrypt's N as the password hasher takes it (src/accounts/scrypt-params.ts): 2^22 needs 4 GiB per hash. */
export const SCRYPT_N_MAX = 2 ** 22;
/** The login throttle forgets failures an hour after the last one (src/accounts/throttle-policy.ts). */
export const THROTTLE_WINDOW = 3600;
const WINDOW_NOTE = ", the throttle's window of an hour";

export const configSchema = z
  .object({
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
    redisUrl: z
      .string({ message: 'must be a redis:// or rediss:// URL' })
      .refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
        message: 'must be a redis:// or rediss:// URL',
      })
      .optional(),
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
    dpopNonceSecret: z
      .string({ message: 'must be at least 32 characters (the same on every instance)' })
      .min(32, 'must be at least 32 characters (the same on every instance)')
      .optional(),
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
    /** Seconds an instance remembers a stored client between announced changes (0: read it on every request). */
    clientCacheTTL: seconds(0, 3600).default(10),
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
  })
  .strict();

export type ParsedConfig = z.infer<typeof configSchema>;
