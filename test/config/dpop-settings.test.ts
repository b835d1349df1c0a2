import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import type { KeySet } from '../../src/keys/load-keys.ts';
import { createConfigFingerprint } from '../../src/observability/config-fingerprint.ts';
import { tempDir } from '../support/tessera.ts';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const client = (extra: Record<string, unknown>) => ({
  client_id: 'dpop-service',
  client_secret: 'a-secret-of-at-least-thirty-two-characters',
  redirect_uris: [],
  response_types: [],
  grant_types: ['client_credentials'],
  ...extra,
});

function load(clients: unknown[]): ReturnType<typeof loadConfig> {
  const path = join(tempDir(), 'tessera.json');
  writeFileSync(path, JSON.stringify({ clients }));
  return loadConfig({ CONFIG_FILE: path });
}

test('dpop_bound_access_tokens is passed to the engine as given; it must be a boolean', () => {
  expect(load([client({ dpop_bound_access_tokens: true })]).clients[0]).toMatchObject({ dpop_bound_access_tokens: true });
  expect(() => load([client({ dpop_bound_access_tokens: 'yes' })])).toThrow(
    expect.objectContaining({
      name: 'ConfigError',
      problems: ['clients (CONFIG_FILE)[0].dpop_bound_access_tokens: must be true or false'],
    }),
  );
});

test('a client whose tokens must be DPoP-bound cannot have the token-exchange grant, which issues bearer tokens', () => {
  expect(() =>
    load([
      client({
        dpop_bound_access_tokens: true,
        grant_types: ['client_credentials', TOKEN_EXCHANGE],
        token_exchange: { targets: [{ audience: 'resource_server', scope: 'api:read' }] },
      }),
    ]),
  ).toThrow(
    expect.objectContaining({
      name: 'ConfigError',
      problems: [`clients (CONFIG_FILE)[0].dpop_bound_access_tokens: cannot be true with the ${TOKEN_EXCHANGE} grant, which issues bearer tokens only`],
    }),
  );
});

test('DPOP_NONCE_SECRET: at least 32 characters', () => {
  expect(loadConfig({ DPOP_NONCE_SECRET: 'x'.repeat(32) }).dpopNonceSecret).toBe('x'.repeat(32));
  expect(() => loadConfig({ DPOP_NONCE_SECRET: 'short' })).toThrow(
    expect.objectContaining({
      name: 'ConfigError',
      problems: ['DPOP_NONCE_SECRET: must be at least 32 characters (the same on every instance)'],
    }),
  );
});

test('DPOP_NONCE_SECRET enters the configuration fingerprint: instances with different secrets differ', () => {
  const keys = { keys: [] } as unknown as KeySet;
  const fingerprint = (secret: string): string => createConfigFingerprint(loadConfig({ DPOP_NONCE_SECRET: secret }))(keys).config;
  expect(fingerprint('a'.repeat(32))).toBe(fingerprint('a'.repeat(32)));
  expect(fingerprint('a'.repeat(32))).not.toBe(fingerprint('b'.repeat(32)));
});
