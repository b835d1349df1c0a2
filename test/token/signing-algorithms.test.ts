import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { ExternalSigningKey } from 'oidc-provider';

import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import { engineSigningKeys } from '../../src/provider/engine-signing-keys.ts';
import { startTessera, tempDir } from '../support/tessera.ts';

const SECRET = 'signing-service-secret-0123456789abcdef';
const SERVERS = [
  { alg: 'ES256', audience: 'es' },
  { alg: 'EdDSA', audience: 'ed' },
  { alg: 'PS256', audience: 'ps' },
  { alg: 'RS256', audience: 'rs' },
];

/** An EC, an Ed25519, an RSA key pinned to PS256 in keys.json, and an RSA key that may sign RS256 and PS256. */
function certsDir(): string {
  const dir = tempDir();
  generateKeyFile(dir, 'ES256', 'ec');
  generateKeyFile(dir, 'EdDSA', 'ed');
  generateKeyFile(dir, 'RS256', 'rsa-ps');
  generateKeyFile(dir, 'RS256', 'rsa');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ 'rsa-ps': { alg: 'PS256' } }));
  return dir;
}

test('a key that signs one algorithm signs through node:crypto; an RSA key that signs two is left to the engine', async () => {
  const keys = await loadKeys({ dir: certsDir() });
  expect(keys.keys.map((k) => k.stem)).toEqual(['ec', 'ed', 'rsa-ps', 'rsa']);
  // rsa-ps signs PS256, so the unpinned rsa key signs RS256 alone.
  expect(engineSigningKeys(keys).map((k) => [k instanceof ExternalSigningKey, k.alg])).toEqual([
    [true, 'ES256'],
    [true, 'EdDSA'],
    [true, 'PS256'],
    [true, 'RS256'],
  ]);
  const alone = tempDir();
  generateKeyFile(alone, 'RS256', 'rsa');
  expect(engineSigningKeys(await loadKeys({ dir: alone })).map((k) => [k instanceof ExternalSigningKey, k.alg])).toEqual([[false, undefined]]);
});

test('tokens of every algorithm verify against the JWKS, each signed by the key its algorithm names', async () => {
  const dir = certsDir();
  const tessera = await startTessera({
    env: { CERTS_DIR: dir },
    configFile: {
      clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'call' }],
      resourceServers: SERVERS.map(({ alg, audience }) => ({ indicator: `https://${audience}.example.com`, audience, scopes: ['call'], signingAlg: alg })),
    },
  });
  try {
    const jwks = (await (await fetch(`${tessera.url}/jwks`)).json()) as { keys: JWK[] };
    const kidOf = {
      ES256: jwks.keys.find((k) => k.kty === 'EC')!.kid,
      EdDSA: jwks.keys.find((k) => k.kty === 'OKP')!.kid,
      PS256: jwks.keys.find((k) => k.alg === 'PS256')!.kid,
      RS256: jwks.keys.find((k) => k.kty === 'RSA' && !k.alg)!.kid,
    };
    const remote = createRemoteJWKSet(new URL(`${tessera.url}/jwks`));
    for (const { alg, audience } of SERVERS) {
      const response = await fetch(`${tessera.url}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: `https://${audience}.example.com`, scope: 'call' }),
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const { protectedHeader, payload } = await jwtVerify(token, remote, { issuer: tessera.url, audience, typ: 'at+jwt', algorithms: [alg] });
      expect([protectedHeader.alg, protectedHeader.kid, payload.client_id, payload.scope]).toEqual([alg, kidOf[alg as keyof typeof kidOf], 'svc', 'call']);
      // A changed payload under the same signature is refused.
      const [header, , signature] = token.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...payload, scope: 'call admin' })).toString('base64url')}.${signature}`;
      await expect(jwtVerify(tampered, remote, { algorithms: [alg] })).rejects.toThrow('signature verification failed');
    }
  } finally {
    await tessera.stop();
  }
});
