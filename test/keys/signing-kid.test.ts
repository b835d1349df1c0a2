import { execFile } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';

import { addUser, authorize } from '../support/login-flow.ts';
import { makeKeyAndCertificate, openssl } from '../support/openssl.ts';
import { ROOT, startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// Which key signs a token is decided once, by the key states: the active key signs every
// token of its algorithm, ID tokens (where the engine picks a key itself) as much as access
// tokens (which name their kid); a next key published by `tessera keys rotate` only verifies.

const SECRET = 'signing-kid-secret-0123456789abcdefghij';
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:9/cb';
const RS256_API = 'https://rs256.example.com';
/** Seconds a next key is published before `rotate` lets it sign (with KEYS_RELOAD_INTERVAL=0). */
const JWKS_MAX_AGE = 3;

interface Tokens {
  readonly idToken: Record<'ES256' | 'RS256', string>;
  readonly accessToken: Record<'ES256' | 'RS256', string>;
}

/**
 * Runs `tessera keys …`. Asynchronously: a test blocked in spawnSync would not see the server
 * close an idle keep-alive connection, and its next request would go out on the dead socket.
 */
function keysCli(certs: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/tessera.js'), 'keys', ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', CERTS_DIR: certs, JWKS_MAX_AGE: String(JWKS_MAX_AGE), KEYS_RELOAD_INTERVAL: '0', ...env },
      },
      (err, stdout, stderr) => (err ? reject(new Error(`tessera keys ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout)),
    );
  });
}

/** From `tessera keys list`: the kid of the active key of each algorithm, and every kid with its state. */
async function keyStates(certs: string, env: Record<string, string>): Promise<{ active: Record<string, string>; states: Record<string, string> }> {
  const active: Record<string, string> = {};
  const states: Record<string, string> = {};
  for (const line of (await keysCli(certs, ['list'], env)).trim().split('\n')) {
    const [state, kid, algs] = line.split(/\s+/) as [string, string, string];
    states[kid] = state;
    if (state === 'active') for (const alg of algs.split(',')) active[alg] ??= kid;
  }
  return { active, states };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function publishedKids(tessera: TesseraProcess): Promise<string[]> {
  return ((await (await fetch(`${tessera.url}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

/** Signs alice in with both clients: ES256 ID and access tokens from one, RS256 ones from the other. */
async function signIn(tessera: TesseraProcess): Promise<Tokens> {
  const tokens = async (clientId: string, scope: string, extra: Record<string, string>) => {
    const config = await client.discovery(new URL(tessera.url), clientId, undefined, client.ClientSecretBasic(SECRET), {
      execute: [client.allowInsecureRequests],
    });
    const flow = await authorize({ issuer: tessera.url, config, redirectUri: REDIRECT, scope, username: 'alice', password: PASSWORD, extra });
    return client.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce });
  };
  const es = await tokens('app-es256', 'openid api:read', {});
  const rs = await tokens('app-rs256', 'openid rs:read', { resource: RS256_API });
  return { idToken: { ES256: es.id_token!, RS256: rs.id_token! }, accessToken: { ES256: es.access_token, RS256: rs.access_token } };
}

function kids(tokens: Tokens): Record<string, string | undefined> {
  return {
    'ID ES256': decodeProtectedHeader(tokens.idToken.ES256).kid,
    'ID RS256': decodeProtectedHeader(tokens.idToken.RS256).kid,
    'access ES256': decodeProtectedHeader(tokens.accessToken.ES256).kid,
    'access RS256': decodeProtectedHeader(tokens.accessToken.RS256).kid,
  };
}

function expectedKids(active: Record<string, string>): Record<string, string | undefined> {
  return { 'ID ES256': active.ES256, 'ID RS256': active.RS256, 'access ES256': active.ES256, 'access RS256': active.RS256 };
}

const CLIENTS = {
  clients: [
    { client_id: 'app-es256', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] },
    { client_id: 'app-rs256', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], id_token_signed_response_alg: 'RS256' },
  ],
  resourceServers: [{ indicator: RS256_API, audience: 'rs256-api', scopes: ['rs:read'], signingAlg: 'RS256' }],
};

/** The development keys Tessera writes itself, and a seed deployment's RSA .pfx beside an EC key. */
const DIRECTORIES: [string, () => { certs: string; env: Record<string, string> }][] = [
  ['development keys', () => ({ certs: tempDir('tessera-certs-'), env: {} })],
  [
    'an RSA .pfx whose algorithm keys.json does not name',
    () => {
      const certs = tempDir('tessera-certs-');
      const { key, cert } = makeKeyAndCertificate(certs, 'signing', 'rsa');
      openssl(certs, ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', 'signing.pfx', '-passout', 'pass:Seed-Pa55word']);
      unlinkSync(key);
      unlinkSync(cert);
      makeKeyAndCertificate(certs, 'ec', 'ec');
      unlinkSync(join(certs, 'ec.crt'));
      return { certs, env: { CERTS_PASSPHRASE: 'Seed-Pa55word' } };
    },
  ],
];

test.each(DIRECTORIES)(
  'with %s, every ID and access token is signed by the active key of its algorithm, before, during and after a rotation',
  async (_name, makeDir) => {
    const { certs, env } = makeDir();
    const tessera = await startTessera({
      configFile: CLIENTS,
      env: {
        ...env,
        CERTS_DIR: certs,
        NODE_ENV: 'development',
        JWKS_MAX_AGE: String(JWKS_MAX_AGE),
        KEYS_RELOAD_INTERVAL: '0',
      },
    });
    try {
      addUser(tessera.redisEnv!, 'alice', PASSWORD);
      const before = await keyStates(certs, env);
      expect(Object.keys(before.active).sort()).toEqual(expect.arrayContaining(['ES256', 'RS256']));
      expect(kids(await signIn(tessera))).toEqual(expectedKids(before.active));

      // Step 1 publishes a next key per algorithm; the active keys go on signing.
      await keysCli(certs, ['rotate'], env);
      const during = await keyStates(certs, env);
      const next = Object.keys(during.states).filter((kid) => during.states[kid] === 'next');
      expect(next).toHaveLength(2);
      await eventually(async () => {
        const published = await publishedKids(tessera);
        return next.every((kid) => published.includes(kid));
      }, 'the next keys are published');
      expect(during.active).toEqual(before.active);
      expect(kids(await signIn(tessera))).toEqual(expectedKids(before.active));

      // Step 2, once they have been published long enough: the next keys sign, the old ones retire.
      await sleep(JWKS_MAX_AGE * 1000 + 100);
      await keysCli(certs, ['rotate'], env);
      const after = await keyStates(certs, env);
      expect(Object.values(after.active).sort()).toEqual([...next].sort());
      await eventually(async () => {
        const { accessToken } = await signIn(tessera);
        return decodeProtectedHeader(accessToken.ES256).kid === after.active.ES256;
      }, 'tokens are signed with the new keys');
      expect(kids(await signIn(tessera))).toEqual(expectedKids(after.active));
    } finally {
      await tessera.stop();
    }
  },
  60_000,
);
