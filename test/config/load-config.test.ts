import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError } from '../../src/config/config-error.ts';
import { DEV_COOKIE_KEY, loadConfig } from '../../src/config/load-config.ts';
import { runTesseraExpectingFailure, tempDir } from '../support/tessera.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loadConfig accepted the settings');
}

function configFile(content: unknown): string {
  const path = join(tempDir(), 'tessera.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('development defaults with nothing set', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    nodeEnv: 'development', production: false, issuer: 'http://localhost:3000', port: 3000, host: '0.0.0.0',
    accessTokenAudience: 'resource_server', accessTokenResource: 'urn:tessera:resource_server', accessTokenAlg: 'ES256',
    certsDir: './certs', cookieKeys: [DEV_COOKIE_KEY], trustProxy: false, redisKeyPrefix: 'tessera:',
  });
  expect(config.resourceServers).toEqual([{
    indicator: 'urn:tessera:resource_server', audience: 'resource_server', scopes: ['api:read', 'api:write'],
    accessTokenTTL: 3600, accessTokenFormat: 'jwt', signingAlg: 'ES256', introspectors: [],
  }]);
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.resourceServers[0])).toBe(true);
});

test('every bad value is reported at once, each naming its setting and what is valid', () => {
  expect(problemsOf({
    PORT: 'abc', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe', COOKIE_KEYS: 'short', ACCESS_TOKEN_TTL: '-5',
    ISSUER: 'not a url', REDIS_URL: 'http://localhost:6379', ACCESS_TOKEN_ALG: 'HS256', NODE_ENV: 'staging',
  })).toEqual([
    'NODE_ENV: must be development, production or test',
    'ISSUER: must be an absolute URL without a fragment',
    'PORT: must be a port number from 0 to 65535',
    'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    'TRUST_PROXY: must be true or false (got maybe)',
    'REDIS_URL: must be a redis:// or rediss:// URL',
    'COOKIE_KEYS[0]: each key must be at least 32 characters long',
    'ACCESS_TOKEN_ALG: must be one of ES256, RS256, PS256, EdDSA',
    'ACCESS_TOKEN_TTL: must be a whole number of seconds greater than 0',
  ]);
});

test('production refuses insecure or missing settings, all in one message', () => {
  const certs = tempDir();
  writeFileSync(join(certs, 'dev-es256.pem'), 'x');
  expect(problemsOf({
    NODE_ENV: 'production', ISSUER: 'http://id.example.com', COOKIE_KEYS: DEV_COOKIE_KEY, CERTS_DIR: certs,
    CONFIG_FILE: configFile({ clients: [{ client_id: 'svc', client_secret: 'short', grant_types: ['client_credentials'] }] }),
  })).toEqual([
    'ISSUER: must be an https URL in production (got http://id.example.com)',
    'REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
    'COOKIE_KEYS: the development cookie key must not be used in production',
    'CERTS_DIR: dev-es256.pem was made by the development key generator; use keys of your own in production',
    'clients (CONFIG_FILE)[0].client_secret: the secret of svc is too weak for production (at least 32 characters)',
  ]);
});

test('static clients: unknown grant type, missing secret and bad redirect URI are named', () => {
  expect(problemsOf({
    CONFIG_FILE: configFile({ clients: [
      { client_id: 'a', client_secret: 's', grant_types: ['password'], redirect_uris: ['https://a.example/cb'] },
      { client_id: 'b', grant_types: ['client_credentials'] },
      { client_id: 'c', client_secret: 's', redirect_uris: ['/relative', 'https://c.example/cb#frag'] },
      { client_id: 'd', client_secret: 's' },
    ] }),
  })).toEqual([
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
  const file = configFile({ issuer: 'https://from-file.example.com', port: 4000, resourceServers: [
    { indicator: 'https://payments.example.com', audience: 'payments', scopes: 'payments refunds' },
  ] });
  const config = loadConfig({ CONFIG_FILE: file, ISSUER: 'https://from-env.example.com' });
  expect(config.issuer).toBe('https://from-env.example.com');
  expect(config.port).toBe(4000);
  expect(config.resourceServers[1]).toEqual({
    indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments', 'refunds'], accessTokenTTL: 3600, accessTokenFormat: 'jwt', signingAlg: 'ES256',
    introspectors: [],
  });
});

test('seed deployment names are accepted as aliases', () => {
  const config = loadConfig({ AUTHORITY: 'https://id.example.com', AUDIENCE: 'orders', PRIVATE_KEY_PASSWORD: 'pw' });
  expect(config).toMatchObject({ issuer: 'https://id.example.com', accessTokenAudience: 'orders', certsPassphrase: 'pw' });
});

test('a resource indicator used twice is refused', () => {
  expect(problemsOf({ CONFIG_FILE: configFile({ resourceServers: [
    { indicator: 'urn:tessera:resource_server', scopes: ['x'] },
  ] }) })).toEqual(['resourceServers (CONFIG_FILE)[0].indicator: urn:tessera:resource_server is already used by the default audience (ACCESS_TOKEN_RESOURCE)']);
});

test('introspectors: read per audience, and a client named twice or a public client is refused', () => {
  const spa = { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] };
  const config = loadConfig({ ACCESS_TOKEN_INTROSPECTORS: 'gateway, audit', CONFIG_FILE: configFile({ resourceServers: [
    { indicator: 'https://payments.example.com', audience: 'payments', introspectors: ['gateway'] },
    { indicator: 'https://geo.example.com', audience: 'geo' },
  ] }) });
  expect(config.resourceServers.map((rs) => rs.introspectors)).toEqual([['gateway', 'audit'], ['gateway'], []]);
  expect(problemsOf({ ACCESS_TOKEN_INTROSPECTORS: 'gateway gateway', CONFIG_FILE: configFile({ clients: [spa], resourceServers: [
    { indicator: 'https://payments.example.com', audience: 'payments', introspectors: ['spa'] },
  ] }) })).toEqual([
    'ACCESS_TOKEN_INTROSPECTORS: gateway is named twice',
    'resourceServers (CONFIG_FILE)[0].introspectors: spa is a public client (token_endpoint_auth_method none) and cannot introspect tokens for payments',
  ]);
});

test('NODE_ENV=production npm start with nothing set refuses with every missing setting, no stack trace', async () => {
  const certs = tempDir();
  const { code, stdout, stderr } = await runTesseraExpectingFailure({ NODE_ENV: 'production', CERTS_DIR: certs });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe([
    'Tessera cannot start; fix these settings:',
    '  - ISSUER: is required in production (the public https URL of Tessera)',
    '  - REDIS_URL: is required in production, or REDIS_CLUSTER_NODES or REDIS_SENTINELS (the in-memory store is neither shared nor durable)',
    '  - COOKIE_KEYS: is required in production (comma-separated random keys of at least 32 characters)',
    `  - CERTS_DIR: ${certs} holds no signing key (.pem, .key, .pfx or .p12); production does not generate keys`,
    '',
  ].join('\n'));
});

test('Redis: standalone, cluster or sentinel — exactly one', () => {
  expect(loadConfig({ REDIS_URL: 'redis://:pw@cache:6379' }).redis).toEqual({ kind: 'standalone', url: 'redis://:pw@cache:6379', commandTimeout: 2000 });
  expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' }).redis).toEqual({
    kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], name: 'mymaster', password: 'pw', tls: true, commandTimeout: 2000,
  });
  expect(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'tessera' }).redis).toMatchObject({ kind: 'sentinel', name: 'tessera', nodes: [{ host: 's1', port: 26379 }] });
  expect(loadConfig({}).redis).toBeUndefined();
  expect(problemsOf({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toEqual(['REDIS_URL, REDIS_CLUSTER_NODES: set only one of them']);
  expect(problemsOf({ REDIS_CLUSTER_NODES: 'no-port', REDIS_COMMAND_TIMEOUT: '5' })).toEqual([
    'REDIS_CLUSTER_NODES[0]: each node must be host:port',
    'REDIS_COMMAND_TIMEOUT: must be a whole number of milliseconds from 100 to 60000',
  ]);
});
