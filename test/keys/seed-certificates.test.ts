import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

import * as client from 'openid-client';

import { createVerifier } from '../../src/resource-server/index.ts';
import { makeKeyAndCertificate, openssl } from '../support/openssl.ts';
import { startTessera, tempDir } from '../support/tessera.ts';

// The seed deployment signs with a password-protected PKCS#12 file (PrivateKeyPath,
// PrivateKeyPassword) and hands resource servers the matching certificate (PublicCertPath).
// The same two files, unchanged, run Tessera and pin the kit.

const SECRET = 'orders-service-secret-0123456789abcdef';
const CLIENTS = {
  clients: [{ client_id: 'orders-service', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
};

test.each([
  ['RSA', 'rsa', 'RS256'],
  ['EC P-256', 'ec', 'ES256'],
] as const)("a %s .pfx with a password and its .crt sign Tessera's tokens, verified offline against the .crt", async (_name, kind, alg) => {
  const certs = tempDir('tessera-seed-certs-');
  const { key, cert } = makeKeyAndCertificate(certs, 'signing', kind);
  openssl(certs, ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', 'signing.pfx', '-passout', 'pass:Seed-Pa55word']);
  unlinkSync(key);
  const publicCertPath = join(tempDir('tessera-seed-pin-'), 'signing.crt');
  openssl(certs, ['x509', '-in', cert, '-out', publicCertPath]);

  // The seed's setting names: PRIVATE_KEY_PASSWORD, AUDIENCE and AUTHORITY are aliases.
  const tessera = await startTessera({
    configFile: CLIENTS,
    env: {
      CERTS_DIR: certs,
      PRIVATE_KEY_PASSWORD: 'Seed-Pa55word',
      ACCESS_TOKEN_ALG: alg,
      AUDIENCE: 'resource_server',
    },
  });
  try {
    const jwks = (await (await fetch(`${tessera.url}/jwks`)).json()) as { keys: { kty: string; x5c?: string[] }[] };
    const published = jwks.keys.filter((k) => k.kty === (kind === 'rsa' ? 'RSA' : 'EC'));
    expect(published).toHaveLength(1);
    const der = readFileSync(publicCertPath, 'utf8').replace(/-----[^-]+-----|\s/g, '');
    expect(published[0]!.x5c).toEqual([der]);

    const service = await client.discovery(new URL(tessera.url), 'orders-service', undefined, client.ClientSecretBasic(SECRET), {
      execute: [client.allowInsecureRequests],
    });
    const { access_token: token } = await client.clientCredentialsGrant(service);
    const verifier = await createVerifier({ authority: tessera.url, audience: 'resource_server', publicCertPath, algorithms: [alg] });
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({ iss: tessera.url, aud: 'resource_server', sub: 'orders-service' });

    // A certificate of another key does not verify the same token.
    const other = makeKeyAndCertificate(tempDir('tessera-other-'), 'other', kind);
    const stranger = await createVerifier({ authority: tessera.url, audience: 'resource_server', publicCertPath: other.cert, algorithms: [alg] });
    await expect(stranger.verify(token)).rejects.toThrow();
  } finally {
    await tessera.stop();
  }
});
