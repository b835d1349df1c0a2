import { SIGNING_ALGS } from './signing-algorithms.ts';

/**
 * Every scalar setting Tessera reads: its environment variable, its key in the
 * configuration file, its default and what it means. The README's configuration
 * table documents exactly this list (a test keeps the two in step).
 */
export type SettingKind = 'string' | 'url' | 'port' | 'seconds' | 'milliseconds' | 'count' | 'boolean' | 'list' | 'enum';

export interface Setting {
  /** Key in the object handed to the rest of Tessera, and in CONFIG_FILE. */
  readonly key: string;
  /** Environment variable; wins over CONFIG_FILE. */
  readonly env: string;
  /** Older names accepted for the same setting (seed deployment compatibility). */
  readonly aliases?: readonly string[];
  readonly kind: SettingKind;
  readonly values?: readonly string[];
  /** Default as written in the README; `undefined` means unset. */
  readonly default?: string;
  readonly doc: string;
}

// biome-ignore format: one setting per entry, so the table reads like the README's
export const SETTINGS: readonly Setting[] = [
  { key: 'nodeEnv', env: 'NODE_ENV', kind: 'enum', values: ['development', 'production', 'test'], default: 'development',
    doc: '`production` turns on the production guards (https issuer, Redis, real keys and cookie keys, strong client secrets).' },
  { key: 'issuer', env: 'ISSUER', aliases: ['AUTHORITY'], kind: 'url', default: 'http://localhost:$PORT (development only)',
    doc: 'The issuer identifier: discovery, `iss` of every token, and the origin of every URL Tessera emits. An http(s) URL without query or fragment; https in production. `AUTHORITY` is accepted as an alias.' },
  { key: 'host', env: 'HOST', kind: 'string', default: '0.0.0.0', doc: 'Address the HTTP server binds to.' },
  { key: 'port', env: 'PORT', kind: 'port', default: '3000', doc: 'TCP port of the HTTP server (0 picks a free port).' },
  { key: 'logLevel', env: 'LOG_LEVEL', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info',
    doc: 'Minimum level of the JSON log written to stdout.' },
  { key: 'auditLog', env: 'AUDIT_LOG', kind: 'string', default: 'stdout',
    doc: 'Where audit events go (see Audit events): `stdout` (with the access log, marked `"audit":true`), `stderr`, or the path of a file they are appended to (created with mode 0600; its directory must exist). Written whatever LOG_LEVEL says.' },
  { key: 'trustProxy', env: 'TRUST_PROXY', kind: 'boolean', default: 'false',
    doc: 'Trust `X-Forwarded-For` from a reverse proxy as the client address (login throttle, logs). Leave off unless a proxy you run sets it. URLs never follow `Host` or `X-Forwarded-Host`/`-Proto`: they are built from ISSUER.' },
  { key: 'redisUrl', env: 'REDIS_URL', kind: 'url',
    doc: 'Redis connection (`redis://` or `rediss://`, with password). Unset: in-memory store, single instance only; refused in production.' },
  { key: 'redisClusterNodes', env: 'REDIS_CLUSTER_NODES', kind: 'list',
    doc: 'Redis Cluster instead of REDIS_URL: comma-separated `host:port` of some masters (the rest are discovered).' },
  { key: 'redisSentinels', env: 'REDIS_SENTINELS', kind: 'list',
    doc: 'Redis behind Sentinel instead of REDIS_URL: comma-separated `host:port` of the sentinels.' },
  { key: 'redisSentinelName', env: 'REDIS_SENTINEL_NAME', kind: 'string', default: 'mymaster', doc: 'Name of the master the sentinels watch.' },
  { key: 'redisPassword', env: 'REDIS_PASSWORD', kind: 'string', doc: 'Password of the Redis nodes with REDIS_CLUSTER_NODES or REDIS_SENTINELS (with REDIS_URL, put it in the URL).' },
  { key: 'redisTls', env: 'REDIS_TLS', kind: 'boolean', default: 'false', doc: 'TLS to the Redis nodes with REDIS_CLUSTER_NODES or REDIS_SENTINELS (with REDIS_URL, use `rediss://`).' },
  { key: 'redisCommandTimeout', env: 'REDIS_COMMAND_TIMEOUT', kind: 'milliseconds', default: '2000',
    doc: 'Milliseconds (100 to 60000) a Redis command or connection attempt may take before the request fails with 503.' },
  { key: 'redisKeyPrefix', env: 'REDIS_KEY_PREFIX', kind: 'string', default: 'tessera:', doc: 'Prefix of every Redis key Tessera writes.' },
  { key: 'certsDir', env: 'CERTS_DIR', kind: 'string', default: './certs', doc: 'Directory of signing keys and certificates (see certs/README.md).' },
  { key: 'certsPassphrase', env: 'CERTS_PASSPHRASE', aliases: ['PRIVATE_KEY_PASSWORD'], kind: 'string',
    doc: 'Passphrase of encrypted PEM keys and password of PKCS#12 (.pfx/.p12) files in CERTS_DIR. `PRIVATE_KEY_PASSWORD` is accepted as an alias.' },
  { key: 'keysStore', env: 'KEYS_STORE', kind: 'enum', values: ['files', 'redis'], default: 'files',
    doc: 'Where the signing keys live: `files` (CERTS_DIR, shared by every instance) or `redis` (the Redis of REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS, private keys encrypted with KEYS_ENCRYPTION_KEY; no shared directory). Move keys with `tessera keys import-dir` / `export-dir`.' },
  { key: 'keysEncryptionKey', env: 'KEYS_ENCRYPTION_KEY', kind: 'string',
    doc: 'With KEYS_STORE=redis: the key-encryption key, 32 random bytes in base64 (`openssl rand -base64 32`), identical on every instance; private keys are stored AES-256-GCM encrypted with it. Or KEYS_ENCRYPTION_KEY_FILE.' },
  { key: 'keysEncryptionKeyFile', env: 'KEYS_ENCRYPTION_KEY_FILE', kind: 'string',
    doc: 'With KEYS_STORE=redis: a file holding KEYS_ENCRYPTION_KEY (base64, surrounding whitespace ignored), e.g. a mounted secret. Not together with KEYS_ENCRYPTION_KEY.' },
  { key: 'jwksMaxAge', env: 'JWKS_MAX_AGE', kind: 'seconds', default: '300',
    doc: 'Seconds (1 to 315360000, ten years) resource servers may cache the JWKS (`Cache-Control: max-age`). Key rotation publishes a new key at least this long (plus KEYS_RELOAD_INTERVAL) before it signs.' },
  { key: 'discoveryMaxAge', env: 'DISCOVERY_MAX_AGE', kind: 'seconds', default: '3600',
    doc: 'Seconds (1 to 315360000) clients and caches may keep the discovery document (`Cache-Control: public, max-age`). It names endpoints, not keys, so it changes only with the configuration.' },
  { key: 'keysReloadInterval', env: 'KEYS_RELOAD_INTERVAL', kind: 'seconds', default: '60',
    doc: 'Seconds (0 to 2147483, the longest timer) between checks of CERTS_DIR (or, with KEYS_STORE=redis, of the key set\'s version in Redis) for changed keys, besides file-system events or Redis notifications, and SIGHUP (0: those only). Changed keys apply without a restart.' },
  { key: 'keyRotationInterval', env: 'KEY_ROTATION_INTERVAL', kind: 'seconds', default: '0',
    doc: 'Seconds (up to ten years) an active key signs before this instance rotates it (0: only `tessera keys rotate` rotates). Safe on every instance: a lock file in CERTS_DIR (a Redis lock with KEYS_STORE=redis) lets one rotate at a time.' },
  { key: 'cookieKeys', env: 'COOKIE_KEYS', kind: 'list', default: 'a fixed development key (refused in production)',
    doc: 'Comma-separated keys (≥ 32 characters each) signing cookies; the first signs, all verify. Identical on every instance.' },
  { key: 'dpopNonceSecret', env: 'DPOP_NONCE_SECRET', kind: 'string',
    doc: 'Secret (≥ 32 characters, identical on every instance) from which the token endpoint derives DPoP nonces (RFC 9449 §8). Set: every DPoP proof sent to the token endpoint must carry a current nonce (`use_dpop_nonce` with a `DPoP-Nonce` header otherwise). Unset: no nonces; a proof is accepted within 300 s of its `iat`.' },
  { key: 'accessTokenAudience', env: 'ACCESS_TOKEN_AUDIENCE', aliases: ['AUDIENCE'], kind: 'string', default: 'resource_server',
    doc: '`aud` of access tokens when a client names no resource. `AUDIENCE` is accepted as an alias.' },
  { key: 'accessTokenResource', env: 'ACCESS_TOKEN_RESOURCE', kind: 'string', default: 'the audience if it is an absolute URI, else urn:tessera:<audience>',
    doc: 'Resource indicator (RFC 8707) that selects the default audience explicitly.' },
  { key: 'accessTokenScopes', env: 'ACCESS_TOKEN_SCOPES', kind: 'list', default: 'api:read,api:write',
    doc: 'Scopes that tokens for the default audience may carry (comma or space separated).' },
  { key: 'accessTokenAlg', env: 'ACCESS_TOKEN_ALG', kind: 'enum', values: SIGNING_ALGS, default: 'ES256',
    doc: 'JWS algorithm of access tokens for the default audience; CERTS_DIR must hold a key for it.' },
  { key: 'accessTokenFormat', env: 'ACCESS_TOKEN_FORMAT', kind: 'enum', values: ['jwt', 'opaque'], default: 'jwt',
    doc: 'Format of access tokens for the default audience: `jwt` (RFC 9068, verified offline) or `opaque` (stored in Redis, checked by introspection).' },
  { key: 'accessTokenTTL', env: 'ACCESS_TOKEN_TTL', kind: 'seconds', default: '3600', doc: 'Lifetime of access tokens, in seconds (1 to 315360000, ten years; so are all lifetimes).' },
  { key: 'accessTokenIntrospectors', env: 'ACCESS_TOKEN_INTROSPECTORS', kind: 'list',
    doc: 'Clients (`client_id`s, comma or space separated) that may introspect tokens for the default audience besides the client each token was issued to; others get `active: false`. Unset: none.' },
  { key: 'authorizationCodeTTL', env: 'AUTHORIZATION_CODE_TTL', kind: 'seconds', default: '60', doc: 'Lifetime of authorization codes, in seconds.' },
  { key: 'idTokenTTL', env: 'ID_TOKEN_TTL', kind: 'seconds', default: '3600', doc: 'Lifetime of ID tokens, in seconds.' },
  { key: 'refreshTokenTTL', env: 'REFRESH_TOKEN_TTL', kind: 'seconds', default: '1209600', doc: 'Lifetime of refresh tokens (14 days), in seconds.' },
  { key: 'refreshTokenReuseGrace', env: 'REFRESH_TOKEN_REUSE_GRACE', kind: 'seconds', default: '0',
    doc: 'Seconds (0 to 300) after its first use in which a refresh token may be used again (two tabs refreshing at once) before reuse counts as theft and revokes the grant. 0: never.' },
  { key: 'revocation', env: 'REVOCATION', kind: 'boolean', default: 'true',
    doc: 'Revocation of JWT access tokens across the fleet: RFC 7009 of a JWT, logout, refresh-token reuse, disabled users and removed clients end tokens at every resource server following the feed (`/revocations`). `false`: a JWT access token lives until it expires.' },
  { key: 'sessionTTL', env: 'SESSION_TTL', kind: 'seconds', default: '1209600', doc: 'Lifetime of a browser session (14 days), in seconds.' },
  { key: 'interactionTTL', env: 'INTERACTION_TTL', kind: 'seconds', default: '600', doc: 'Time a user has to finish login and consent, in seconds.' },
  { key: 'parRequired', env: 'PAR_REQUIRED', kind: 'boolean', default: 'false',
    doc: 'Every client must push its authorization requests to `/request` (RFC 9126) and send the browser to `/auth` with the `request_uri` only; one client can be asked to with `require_pushed_authorization_requests`.' },
  { key: 'grantTTL', env: 'GRANT_TTL', kind: 'seconds', default: '1209600', doc: 'Lifetime of a grant (14 days), in seconds.' },
  { key: 'passwordMinLength', env: 'PASSWORD_MIN_LENGTH', kind: 'count', default: '8', doc: 'Shortest password `tessera users` accepts (1 to 1024, the longest password accepted).' },
  { key: 'passwordScryptN', env: 'PASSWORD_SCRYPT_N', kind: 'count', default: '32768',
    doc: 'scrypt cost N for new password hashes: a power of two from 1024 to 4194304. A hash takes 1 KiB · N of memory (32 MiB by default), and 4 run at once: refused at start when that exceeds the memory the process may use (its cgroup limit, else the machine\'s). Hashes made with another N are upgraded at the next sign-in.' },
  { key: 'loginThrottleUserFreeFailures', env: 'LOGIN_THROTTLE_USER_FREE_FAILURES', kind: 'count', default: '5',
    doc: 'Failed sign-ins per username (within an hour) before back-off starts: 2 s, doubling per failure (0 to 1000000).' },
  { key: 'loginThrottleUserMaxDelay', env: 'LOGIN_THROTTLE_USER_MAX_DELAY', kind: 'seconds', default: '900', doc: 'Longest back-off per username, in seconds: 2 (the first back-off) to 3600 (the hour after which failures are forgotten).' },
  { key: 'loginThrottleIpFreeFailures', env: 'LOGIN_THROTTLE_IP_FREE_FAILURES', kind: 'count', default: '50',
    doc: 'Failed sign-ins per client address (IPv6: per /64, within an hour) before back-off starts: 1 s, doubling per failure (0 to 1000000).' },
  { key: 'loginThrottleIpMaxDelay', env: 'LOGIN_THROTTLE_IP_MAX_DELAY', kind: 'seconds', default: '600', doc: 'Longest back-off per client address, in seconds: 1 to 3600 (the hour after which failures are forgotten).' },
  { key: 'clientSecretRotationGrace', env: 'CLIENT_SECRET_ROTATION_GRACE', kind: 'seconds', default: '86400',
    doc: 'Seconds the previous secret of a client keeps working after its secret is rotated (`tessera clients rotate-secret`, the admin API), so services can be redeployed with the new one. 0: the old secret stops at once.' },
  { key: 'clientCacheTTL', env: 'CLIENT_CACHE_TTL', kind: 'seconds', default: '10',
    doc: 'Seconds (0 to 3600) an instance remembers a client stored in Redis instead of reading it on every request. Every change (admin API, `tessera clients`) is announced on Redis pub/sub and makes every instance read its clients again at once; this bounds how long a lost announcement can leave a change unseen. Nothing is remembered while the announcements cannot be received. 0: read on every request.' },
  { key: 'shutdownTimeout', env: 'SHUTDOWN_TIMEOUT', kind: 'seconds', default: '10',
    doc: 'Seconds (1 to 2147483) in-flight requests get to finish on SIGTERM/SIGINT before connections are closed.' },
  { key: 'fleetRollCallInterval', env: 'FLEET_ROLL_CALL_INTERVAL', kind: 'seconds', default: '10',
    doc: 'Seconds (1 to 3600) between an instance\'s answers to the fleet roll call on Redis (fingerprints shown by /readyz). An instance that stops leaves it at once; one silent for three intervals counts as gone, and its entry is removed within four.' },
  { key: 'metricsPort', env: 'METRICS_PORT', kind: 'port', default: '0',
    doc: 'TCP port of the Prometheus metrics listener (`GET /metrics`), a server of its own beside the public one: 0 (the default) turns metrics off. Must differ from PORT.' },
  { key: 'metricsHost', env: 'METRICS_HOST', kind: 'string', default: '127.0.0.1',
    doc: 'Address the metrics listener binds to: loopback by default, so only a scraper on the same host (or a sidecar) reaches it. Set a private interface, or `0.0.0.0` behind a firewall, to scrape from elsewhere; metrics name clients and audiences, never tokens or users.' },
  { key: 'otelTracesExporter', env: 'OTEL_TRACES_EXPORTER', kind: 'enum', values: ['otlp', 'none'], default: 'otlp when an OTLP endpoint is set, else none',
    doc: '`otlp` turns OpenTelemetry tracing on (spans sent over OTLP/HTTP with JSON), `none` keeps it off even with an endpoint set. Off, no tracing code is loaded.' },
  { key: 'otelExporterOtlpEndpoint', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', kind: 'url', default: 'http://localhost:4318 (with OTEL_TRACES_EXPORTER=otlp)',
    doc: 'Base http(s) URL of the OTLP/HTTP collector; spans go to `<base>/v1/traces`.' },
  { key: 'otelExporterOtlpTracesEndpoint', env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', kind: 'url',
    doc: 'Full http(s) URL spans are posted to, used as is; wins over OTEL_EXPORTER_OTLP_ENDPOINT.' },
  { key: 'otelServiceName', env: 'OTEL_SERVICE_NAME', kind: 'string', default: 'tessera', doc: '`service.name` of the spans this instance sends.' },
  { key: 'configFile', env: 'CONFIG_FILE', kind: 'string',
    doc: 'JSON file with any setting above (by its key, e.g. `"issuer"`) plus `clients` and `resourceServers`. Environment variables win.' },
];
