import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { calculateJwkThumbprint, importPKCS8 } from 'jose';
import type { JWK } from 'jose';

import { createVerifier, type ResourceServerConfigError } from '../../src/resource-server/index.ts';
import type { KitEvent, Verifier } from '../../src/resource-server/index.ts';
import { makeKeyAndCertificate, openssl } from '../support/openssl.ts';
import { tempDir } from '../support/tessera.ts';
import { makeKey, signAccessToken } from './support/test-issuer.ts';
import type { IssuerKey } from './support/test-issuer.ts';

// Nothing listens on the discard port: had the kit used the network, verification would fail.
const AUTHORITY = 'http://127.0.0.1:9';

/** A key made with openssl, its self-signed certificate, and the kid Tessera gives it (RFC 7638 thumbprint). */
async function pinnedKey(dir: string, name: string, kind: 'ec' | 'rsa'): Promise<IssuerKey & { cert: string }> {
  const { key, cert } = makeKeyAndCertificate(dir, name, kind);
  const alg = kind === 'ec' ? 'ES256' : 'RS256';
  const publicJwk = new X509Certificate(readFileSync(cert)).publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { alg, kid, publicJwk, cert, privateKey: await importPKCS8(readFileSync(key, 'utf8'), alg) };
}

async function outcome(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'accepted';
  } catch (err) {
    return (err as { reason: string }).reason;
  }
}

test("a pinned certificate (PublicCertPath) verifies its key's tokens with no network; another key's are refused", async () => {
  const dir = tempDir('tessera-rs-offline-');
  const signing = await pinnedKey(dir, 'signing', 'ec');
  const events: KitEvent[] = [];
  const verifier = createVerifier({ authority: AUTHORITY, publicCertPath: signing.cert, logger: (e) => events.push(e) });
  const sign = (key: IssuerKey, header = {}): Promise<string> => signAccessToken(key, AUTHORITY, {}, header);

  await expect(verifier.verify(await sign(signing))).resolves.toMatchObject({ iss: AUTHORITY, sub: 'user-42' });
  expect(await outcome(verifier, await sign(signing, { kid: undefined }))).toBe('accepted');

  const stranger = await makeKey('ES256');
  expect(await outcome(verifier, await sign(stranger))).toBe('unknown_key');
  expect(await outcome(verifier, await sign({ ...stranger, kid: signing.kid }))).toBe('bad_signature');
  expect(await outcome(verifier, await sign(stranger, { kid: undefined }))).toBe('bad_signature');
  expect(events).toEqual([]);
});

test('a certificate bundle pins several keys (RS256 and PS256 from one RSA key); DER and PUBLIC KEY files work too', async () => {
  const dir = tempDir('tessera-rs-offline-');
  const ec = await pinnedKey(dir, 'current', 'ec');
  const rsa = await pinnedKey(dir, 'next', 'rsa');
  const bundle = join(dir, 'bundle.crt');
  writeFileSync(bundle, readFileSync(ec.cert, 'utf8') + readFileSync(rsa.cert, 'utf8'));
  const verifier = createVerifier({ authority: AUTHORITY, publicCertPath: bundle });
  expect(await outcome(verifier, await signAccessToken(ec, AUTHORITY))).toBe('accepted');
  expect(await outcome(verifier, await signAccessToken(rsa, AUTHORITY))).toBe('accepted');
  const ps256: IssuerKey = { ...rsa, alg: 'PS256', privateKey: await importPKCS8(readFileSync(join(dir, 'next.key'), 'utf8'), 'PS256') };
  expect(await outcome(verifier, await signAccessToken(ps256, AUTHORITY))).toBe('accepted');

  openssl(dir, ['x509', '-in', rsa.cert, '-outform', 'DER', '-out', 'next.der']);
  openssl(dir, ['pkey', '-in', 'current.key', '-pubout', '-out', 'current.pub']);
  expect(await outcome(createVerifier({ authority: AUTHORITY, publicCertPath: join(dir, 'next.der') }), await signAccessToken(rsa, AUTHORITY))).toBe(
    'accepted',
  );
  const publicKey = createVerifier({ authority: AUTHORITY, publicCertPath: join(dir, 'current.pub') });
  expect(await outcome(publicKey, await signAccessToken(ec, AUTHORITY))).toBe('accepted');
  expect(await outcome(publicKey, await signAccessToken(rsa, AUTHORITY))).toBe('unknown_key');
});

test('a JWKS file or an inline JWKS pins keys the same way', async () => {
  const dir = tempDir('tessera-rs-offline-');
  const [key, other] = await Promise.all([makeKey('EdDSA'), makeKey('EdDSA')]);
  const file = join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [key.publicJwk] }));
  for (const verifier of [
    createVerifier({ authority: AUTHORITY, jwksPath: file }),
    createVerifier({ authority: AUTHORITY, jwks: { keys: [key.publicJwk] } }),
  ]) {
    expect(await outcome(verifier, await signAccessToken(key, AUTHORITY))).toBe('accepted');
    expect(await outcome(verifier, await signAccessToken(other, AUTHORITY))).toBe('unknown_key');
  }
});

test('a private key or an empty file cannot be pinned', () => {
  const dir = tempDir('tessera-rs-offline-');
  const { key } = makeKeyAndCertificate(dir, 'signing', 'ec');
  writeFileSync(join(dir, 'empty.crt'), '-----BEGIN NOTHING-----\n');
  writeFileSync(join(dir, 'jwks.json'), '{"kty":"EC"}');
  const problems = (options: Record<string, string>): readonly string[] => {
    try {
      createVerifier({ authority: AUTHORITY, ...options });
    } catch (err) {
      return (err as ResourceServerConfigError).problems;
    }
    return [];
  };
  expect(problems({ publicCertPath: key })).toEqual(['publicCertPath: holds a PRIVATE KEY block; only certificates and public keys may be pinned']);
  expect(problems({ publicCertPath: join(dir, 'empty.crt') })).toEqual(['publicCertPath: holds no certificate']);
  expect(problems({ jwksPath: join(dir, 'jwks.json') })).toEqual(['jwksPath: is not a JWK Set (no "keys" array)']);
});
