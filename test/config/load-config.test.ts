import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createPasswordHasher } from '../../src/accounts/password-hasher.ts';
import { createMemoryLoginThrottle } from '../../src/accounts/memory-login-throttle.ts';
import { MAX_PASSWORD_LENGTH } from '../../src/accounts/account-input.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../../src/accounts/scrypt-params.ts';
import { DEFAULT_THROTTLE_LIMITS } from '../../src/accounts/throttle-policy.ts';
import { CONCURRENT_HASHES, SCRYPT_BLOCK_SIZE, checkScryptMemory } from '../../src/config/check-scrypt-memory.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { DEV_COOKIE_KEY } from '../../src/config/resolve-defaults.ts';
import { SCRYPT_N_MAX, THROTTLE_WINDOW } from '../../src/config/schema.ts';
import { SETTINGS } from '../../src/config/settings.ts';
import { configProblems as problemsOf } from '../support/config-problems.ts';
import { runTesseraExpectingFailure, tempDir } from '../support/tessera.ts';

function configFile(content: unknown): string {
  const path = join(tempDir(), 'tessera.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('development defaults with nothing set', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    nodeEnv: 'development',
    production: false,
    issuer: 'http://localhost:3000',
    port: 3000,
    host: '0.0.0.0',
    accessTokenAudience: 'resource_server',
    accessTokenResource: 'urn:tessera:resource_server',
    accessTokenAlg: 'ES256',
    certsDir: './certs',
    cookieKeys: [DEV_COOKIE_KEY],
    trustProxy: false,
    redisKeyPrefix: 'tessera:',
  });
  expect(config.resourceServers).toEqual([
    {
      indicator: 'urn:tessera:resource_server',
      audience: 'resource_server',
      scopes: ['api:read', 'api:write'],
      accessTokenTTL: 3600,
      accessTokenFormat: 'jwt',
      signingAlg: 'ES256',
      introspectors: [],
    },
  ]);
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.resourceServers[0])).toBe(true);
});

test('every bad value is reported at once, each naming its setting and what is valid', () => {
  expect(
    problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'maybe',
      COOKIE_KEYS: 'short',
      ACCESS_TOKEN_TTL: '-5',
      ISSUER: 'not a url',
      REDIS_URL: 'http://localhost:6379',
      ACCESS_TOKEN_ALG: 'HS256',
      NODE_ENV: 'staging',
    }),
  ).toEqual([
    'NODE_ENV: must be development, production or test',
    'ISSUER: must be an http or https URL without query or fragment',
    'PORT: must be a port number from 0 to 65535',
    'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    'TRUST_PROXY: must be true or false (got maybe)',
    'REDIS_URL: must be a redis:// or rediss:// URL',
    'COOKIE_KEYS[0]: each key must be at least 32 characters long',
    'ACCESS_TOKEN_ALG: must be one of ES256, RS256, PS256, EdDSA',
    'ACCESS_TOKEN_TTL: must be a whole number of seconds from 1 to 315360000',
  ]);
});

test('production refuses insecure or missing settings, all in one message', () => {
  const certs = tempDir();
  writeFileSync(join(certs, 'dev-es256.pem'), 'x');
  expect(
    problemsOf({
      NODE_ENV: 'production',
      ISSUER: 'http://id.example.com',
      COOKIE_KEYS: DEV_COOKIE_KEY,
      CERTS_DIR: certs,
      CONFIG_FILE: configFile({ clients: [{ client_id: 'svc', client_secret: 'short', grant_types: ['client_credentials'] }] }),
    }),
  ).toEqual([
    'ISSUER: must be an https URL in production (got http://id.example.com)',
    'REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
    'COOKIE_KEYS: the development cookie key must not be used in production',
    'CERTS_DIR: dev-es256.pem was made by the development key generator; use keys of your own in production',
    'clients (CONFIG_FILE)[0].client_secret: the secret of svc is too weak for production (at least 32 characters)',
  ]);
});

/** A production setting with a bad value of every sort: schema, bounds of the components, production guards. */
function mixedProduction(): { env: Record<string, string>; certs: string } {
  const certs = tempDir();
  writeFileSync(join(certs, 'dev-es256.pem'), 'x');
  return {
    certs,
    env: {
      NODE_ENV: 'production',
      COOKIE_KEYS: 'short',
      ACCESS_TOKEN_TTL: 'abc',
      ISSUER: 'http://id.example.com',
      CERTS_DIR: certs,
      CONFIG_FILE: configFile({ clients: [{ client_id: 'svc', client_secret: 'short', grant_types: ['client_credentials'] }] }),
      PASSWORD_SCRYPT_N: '3000',
      LOGIN_THROTTLE_USER_MAX_DELAY: '7200',
    },
  };
}

const MIXED_PROBLEMS = [
  'COOKIE_KEYS[0]: each key must be at least 32 characters long',
  'ACCESS_TOKEN_TTL: must be a whole number of seconds from 1 to 315360000',
  'PASSWORD_SCRYPT_N: must be a power of two from 1024 to 4194304',
  "LOGIN_THROTTLE_USER_MAX_DELAY: must be a whole number of seconds from 2 to 3600, the throttle's window of an hour",
  'ISSUER: must be an https URL in production (got http://id.example.com)',
  'REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
  'CERTS_DIR: dev-es256.pem was made by the development key generator; use keys of your own in production',
  'clients (CONFIG_FILE)[0].client_secret: the secret of svc is too weak for production (at least 32 characters)',
];

test('every problem is listed at once: bad values beside the production guards', () => {
  expect(problemsOf(mixedProduction().env)).toEqual(MIXED_PROBLEMS);
});

test('NODE_ENV=production node src/main.ts with a mixed bad configuration lists every problem in one message, no stack trace', async () => {
  const { code, stdout, stderr } = await runTesseraExpectingFailure(mixedProduction().env);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(['Tessera cannot start; fix these settings:', ...MIXED_PROBLEMS.map((p) => `  - ${p}`), ''].join('\n'));
});

test('a bad value is not mistaken for a missing one, and a bad client hides no other check', () => {
  expect(
    problemsOf({
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.com/?tenant=a',
      REDIS_CLUSTER_NODES: 'cache:99999',
      COOKIE_KEYS: 'k'.repeat(32),
      CERTS_DIR: tempDir(),
      KEY_ROTATION_INTERVAL: '10',
      JWKS_MAX_AGE: 'soon',
      CONFIG_FILE: configFile({
        clients: [
          { client_id: 'a', client_secret: 'short', grant_types: ['client_credentials'], client_name: 5 },
          { client_id: 'a', client_secret: 's'.repeat(32), grant_types: ['client_credentials'] },
        ],
      }),
    }),
  ).toEqual([
    'ISSUER: must be an http or https URL without query or fragment',
    'REDIS_CLUSTER_NODES[0]: each node must be host:port (port from 1 to 65535)',
    'JWKS_MAX_AGE: must be a whole number of seconds from 1 to 315360000',
    'clients (CONFIG_FILE)[0].client_name: Invalid input: expected string, received number',
    'clients (CONFIG_FILE)[1].client_id: a is used by another client',
    expect.stringMatching(/^CERTS_DIR: .* holds no signing key/),
    'clients (CONFIG_FILE)[0].client_secret: the secret of a is too weak for production (at least 32 characters)',
  ]);
});

test('CERTS_DIR that is a file is named once, in development as in production', () => {
  const file = configFile({});
  expect(problemsOf({ CERTS_DIR: file })).toEqual([`CERTS_DIR: ${file} is not a directory`]);
  expect(
    problemsOf({ NODE_ENV: 'production', CERTS_DIR: file, ISSUER: 'https://id.example.com', REDIS_URL: 'redis://cache:6379', COOKIE_KEYS: 'k'.repeat(32) }),
  ).toEqual([`CERTS_DIR: ${file} is not a directory`]);
});

test("each number's message fits its kind: seconds, milliseconds, a count, a port", () => {
  const numeric = SETTINGS.filter((s) => ['seconds', 'milliseconds', 'count', 'port'].includes(s.kind));
  expect(numeric.map((s) => s.env)).toEqual(
    expect.arrayContaining([
      'PASSWORD_MIN_LENGTH',
      'PASSWORD_SCRYPT_N',
      'LOGIN_THROTTLE_IP_FREE_FAILURES',
      'REDIS_COMMAND_TIMEOUT',
      'PORT',
      'SHUTDOWN_TIMEOUT',
      'FLEET_ROLL_CALL_INTERVAL',
    ]),
  );
  const wording = {
    seconds: /^must be a whole number of seconds from \d+ to \d+/,
    milliseconds: /^must be a whole number of milliseconds from \d+ to \d+$/,
    count: /^must be (a whole number|a power of two) from \d+ to \d+$/,
    port: /^must be a port number from 0 to 65535$/,
  };
  for (const setting of numeric) {
    for (const value of ['abc', '0x10', '1.5', ' ', '-1']) {
      const [problem, ...rest] = problemsOf({ [setting.env]: value });
      expect(rest).toEqual([]);
      const [name, message] = problem!.split(': ');
      expect(name).toBe(setting.env);
      expect(message).toMatch(wording[setting.kind as keyof typeof wording]);
    }
  }
});

test('values a component refuses later are refused at start, by name, at the bounds the components take', () => {
  const hasher = (N: number) => () => createPasswordHasher({ params: { ...DEFAULT_SCRYPT_PARAMS, N } });
  expect(hasher(SCRYPT_N_MAX)).not.toThrow();
  expect(hasher(SCRYPT_N_MAX * 2)).toThrow();
  expect(problemsOf({ PASSWORD_SCRYPT_N: String(SCRYPT_N_MAX * 2) })).toEqual(['PASSWORD_SCRYPT_N: must be a power of two from 1024 to 4194304']);
  expect(problemsOf({ PASSWORD_SCRYPT_N: '512' })).toEqual(['PASSWORD_SCRYPT_N: must be a power of two from 1024 to 4194304']);

  const throttle = (username: number, ip: number) => () => createMemoryLoginThrottle({ limits: { username: { maxDelay: username }, ip: { maxDelay: ip } } });
  expect(DEFAULT_THROTTLE_LIMITS.username.window).toBe(THROTTLE_WINDOW);
  expect(DEFAULT_THROTTLE_LIMITS.ip.window).toBe(THROTTLE_WINDOW);
  expect(throttle(THROTTLE_WINDOW, THROTTLE_WINDOW)).not.toThrow();
  expect(throttle(DEFAULT_THROTTLE_LIMITS.username.baseDelay, DEFAULT_THROTTLE_LIMITS.ip.baseDelay)).not.toThrow();
  expect(throttle(THROTTLE_WINDOW + 1, 600)).toThrow();
  expect(throttle(1, 600)).toThrow();
  expect(throttle(900, 0)).toThrow();
  expect(loadConfig({ LOGIN_THROTTLE_USER_MAX_DELAY: '3600', LOGIN_THROTTLE_IP_MAX_DELAY: '1', LOGIN_THROTTLE_USER_FREE_FAILURES: '0' })).toMatchObject({
    loginThrottleUserMaxDelay: 3600,
    loginThrottleIpMaxDelay: 1,
    loginThrottleUserFreeFailures: 0,
  });
  expect(problemsOf({ LOGIN_THROTTLE_USER_MAX_DELAY: '3601', LOGIN_THROTTLE_IP_MAX_DELAY: '0' })).toEqual([
    "LOGIN_THROTTLE_USER_MAX_DELAY: must be a whole number of seconds from 2 to 3600, the throttle's window of an hour",
    "LOGIN_THROTTLE_IP_MAX_DELAY: must be a whole number of seconds from 1 to 3600, the throttle's window of an hour",
  ]);
  expect(problemsOf({ LOGIN_THROTTLE_USER_MAX_DELAY: '1' })).toHaveLength(1);

  expect(MAX_PASSWORD_LENGTH).toBe(1024);
  expect(problemsOf({ PASSWORD_MIN_LENGTH: '1025' })).toEqual(['PASSWORD_MIN_LENGTH: must be a whole number from 1 to 1024']);
  // Node timers take at most 2^31 - 1 ms; a longer one fires at once.
  expect(problemsOf({ SHUTDOWN_TIMEOUT: '2147484', KEYS_RELOAD_INTERVAL: '2147484' })).toEqual([
    'KEYS_RELOAD_INTERVAL: must be a whole number of seconds from 0 to 2147483 (0: off)',
    'SHUTDOWN_TIMEOUT: must be a whole number of seconds from 1 to 2147483',
  ]);
  // oidc-provider refuses an issuer with a query, or one that is no web URL.
  expect(problemsOf({ ISSUER: 'urn:tessera:id' })).toEqual(['ISSUER: must be an http or https URL without query or fragment']);
});

test('PASSWORD_SCRYPT_N is refused when the hashes that run at once need more memory than the process may use', () => {
  expect(SCRYPT_BLOCK_SIZE).toBe(DEFAULT_SCRYPT_PARAMS.r);
  expect(CONCURRENT_HASHES).toBe(4);
  expect(checkScryptMemory(2 ** 15, 128 * 2 ** 20)).toEqual([]);
  expect(checkScryptMemory(2 ** 22, 8 * 2 ** 30)).toEqual([
    'PASSWORD_SCRYPT_N: 4194304 takes 4096 MiB per password hash, 16384 MiB for the 4 that run at once, more than the 8192 MiB of memory this process may use',
  ]);
});

test('static clients: unknown grant type, missing secret and bad redirect URI are named', () => {
  expect(
    problemsOf({
      CONFIG_FILE: configFile({
        clients: [
          { client_id: 'a', client_secret: 's', grant_types: ['password'], redirect_uris: ['https://a.example/cb'] },
          { client_id: 'b', grant_types: ['client_credentials'] },
          { client_id: 'c', client_secret: 's', redirect_uris: ['/relative', 'https://c.example/cb#frag'] },
          { client_id: 'd', client_secret: 's' },
        ],
      }),
    }),
  ).toEqual([
    'clients (CONFIG_FILE)[0].grant_types[0]: must be one of authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange',
    'clients (CONFIG_FILE)[1].client_secret: is required for token_endpoint_auth_method client_secret_basic',
    'clients (CONFIG_FILE)[2].redirect_uris[0]: must be an absolute URL without a fragment',
    'clients (CONFIG_FILE)[2].redirect_uris[1]: must be an absolute URL without a fragment',
    'clients (CONFIG_FILE)[3].redirect_uris: needs at least one URL for the authorization_code grant',
  ]);
});

test('CONFIG_FILE: unreadable, invalid JSON, unknown keys, and environment winning over the file', () => {
  expect(problemsOf({ CONFIG_FILE: '/nonexistent/tessera.json' })).toEqual(['CONFIG_FILE: cannot read /nonexistent/tessera.json (ENOENT)']);
  const broken = configFile('{ "issuer": ');
  expect(problemsOf({ CONFIG_FILE: broken })[0]).toMatch(new RegExp(`^CONFIG_FILE: ${broken} is not valid JSON \\(`));
  expect(problemsOf({ CONFIG_FILE: configFile({ isuer: 'https://x' }) })).toEqual(['CONFIG_FILE: unknown setting isuer (the README lists the valid keys)']);
  const file = configFile({
    issuer: 'https://from-file.example.com',
    port: 4000,
    resourceServers: [{ indicator: 'https://payments.example.com', audience: 'payments', scopes: 'payments refunds' }],
  });
  const config = loadConfig({ CONFIG_FILE: file, ISSUER: 'https://from-env.example.com' });
  expect(config.issuer).toBe('https://from-env.example.com');
  expect(config.port).toBe(4000);
  expect(config.resourceServers[1]).toEqual({
    indicator: 'https://payments.example.com',
    audience: 'payments',
    scopes: ['payments', 'refunds'],
    accessTokenTTL: 3600,
    accessTokenFormat: 'jwt',
    signingAlg: 'ES256',
    introspectors: [],
  });
});

test('seed deployment names are accepted as aliases', () => {
  const config = loadConfig({ AUTHORITY: 'https://id.example.com', AUDIENCE: 'orders', PRIVATE_KEY_PASSWORD: 'pw' });
  expect(config).toMatchObject({ issuer: 'https://id.example.com', accessTokenAudience: 'orders', certsPassphrase: 'pw' });
});

test('a resource indicator used twice is refused', () => {
  expect(problemsOf({ CONFIG_FILE: configFile({ resourceServers: [{ indicator: 'urn:tessera:resource_server', scopes: ['x'] }] }) })).toEqual([
    'resourceServers (CONFIG_FILE)[0].indicator: urn:tessera:resource_server is already used by the default audience (ACCESS_TOKEN_RESOURCE)',
  ]);
});

test('introspectors: read per audience, and a client named twice or a public client is refused', () => {
  const spa = { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] };
  const config = loadConfig({
    ACCESS_TOKEN_INTROSPECTORS: 'gateway, audit',
    CONFIG_FILE: configFile({
      resourceServers: [
        { indicator: 'https://payments.example.com', audience: 'payments', introspectors: ['gateway'] },
        { indicator: 'https://geo.example.com', audience: 'geo' },
      ],
    }),
  });
  expect(config.resourceServers.map((rs) => rs.introspectors)).toEqual([['gateway', 'audit'], ['gateway'], []]);
  expect(
    problemsOf({
      ACCESS_TOKEN_INTROSPECTORS: 'gateway gateway',
      CONFIG_FILE: configFile({
        clients: [spa],
        resourceServers: [{ indicator: 'https://payments.example.com', audience: 'payments', introspectors: ['spa'] }],
      }),
    }),
  ).toEqual([
    'ACCESS_TOKEN_INTROSPECTORS: gateway is named twice',
    'resourceServers (CONFIG_FILE)[0].introspectors: spa is a public client (token_endpoint_auth_method none) and cannot introspect tokens for payments',
  ]);
});

test('NODE_ENV=production npm start with nothing set refuses with every missing setting, no stack trace', async () => {
  const certs = tempDir();
  const { code, stdout, stderr } = await runTesseraExpectingFailure({ NODE_ENV: 'production', CERTS_DIR: certs });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(
    [
      'Tessera cannot start; fix these settings:',
      '  - ISSUER: is required in production (the public https URL of Tessera)',
      '  - REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
      '  - COOKIE_KEYS: is required in production (comma-separated random keys of at least 32 characters)',
      `  - CERTS_DIR: ${certs} holds no signing key (.pem, .key, .pfx or .p12); production does not generate keys`,
      '',
    ].join('\n'),
  );
});

test('Redis: standalone, cluster or sentinel — exactly one', () => {
  expect(loadConfig({ REDIS_URL: 'redis://:pw@cache:6379' }).redis).toEqual({ kind: 'standalone', url: 'redis://:pw@cache:6379', commandTimeout: 2000 });
  expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' }).redis).toEqual({
    kind: 'cluster',
    nodes: [
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ],
    name: 'mymaster',
    password: 'pw',
    tls: true,
    commandTimeout: 2000,
  });
  expect(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'tessera' }).redis).toMatchObject({
    kind: 'sentinel',
    name: 'tessera',
    nodes: [{ host: 's1', port: 26379 }],
  });
  expect(loadConfig({}).redis).toBeUndefined();
  expect(problemsOf({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toEqual(['REDIS_URL, REDIS_CLUSTER_NODES: set only one of them']);
  expect(problemsOf({ REDIS_CLUSTER_NODES: 'no-port', REDIS_COMMAND_TIMEOUT: '5' })).toEqual([
    'REDIS_CLUSTER_NODES[0]: each node must be host:port (port from 1 to 65535)',
    'REDIS_COMMAND_TIMEOUT: must be a whole number of milliseconds from 100 to 60000',
  ]);
});
