import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { calculateJwkThumbprint, importJWK, jwtVerify, SignJWT } from 'jose';
import type { JWK } from 'jose';

import { ConfigError } from '../../src/config/config-error.ts';
import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import type { KeySet } from '../../src/keys/load-keys.ts';
import { makeKeyAndCertificate, openssl } from '../support/openssl.ts';
import { tempDir } from '../support/tessera.ts';

async function problems(promise: Promise<unknown>): Promise<readonly string[]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loadKeys accepted the directory');
}

/** Signs with the private JWK and verifies with the published one: the pair really belongs together. */
async function signsAndVerifies(set: KeySet, alg: string): Promise<void> {
  const key = set.keys.find((k) => k.algs.includes(alg));
  if (!key) throw new Error(`no key for ${alg}`);
  const token = await new SignJWT({ ok: true }).setProtectedHeader({ alg, kid: key.kid }).sign(await importJWK(key.privateJwk, alg));
  const published = set.jwks.keys.find((k) => k.kid === key.kid) as JWK;
  await expect(jwtVerify(token, await importJWK(published, alg))).resolves.toMatchObject({ payload: { ok: true } });
}

test('PKCS#8 PEM keys of every supported type, kid = RFC 7638 thumbprint', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'ES256', 'ec');
  generateKeyFile(dir, 'RS256', 'rsa');
  generateKeyFile(dir, 'EdDSA', 'ed');
  const set = await loadKeys({ dir, requiredAlgs: ['ES256', 'RS256', 'PS256', 'EdDSA'] });
  expect(set.keys.map((k) => [k.source, k.algs])).toEqual([
    ['ec.pem', ['ES256']],
    ['ed.pem', ['EdDSA']],
    ['rsa.pem', ['RS256', 'PS256']],
  ]);
  for (const key of set.keys) {
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  }
  for (const alg of ['ES256', 'RS256', 'PS256', 'EdDSA']) await signsAndVerifies(set, alg);
  expect(statSync(join(dir, 'ec.pem')).mode & 0o777).toBe(0o600);
});

test('the published JWKS holds no private members', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'RS256', 'rsa');
  generateKeyFile(dir, 'ES256', 'ec');
  const set = await loadKeys({ dir });
  for (const key of set.jwks.keys) {
    expect(Object.keys(key).sort()).toEqual(key.kty === 'RSA' ? ['e', 'kid', 'kty', 'n', 'use'] : ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  }
});

test('encrypted PEM with CERTS_PASSPHRASE; missing or wrong passphrase named', async () => {
  const dir = tempDir();
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes-256-cbc', '-pass', 'pass:s3cret', '-out', 'enc.pem']);
  expect(readFileSync(join(dir, 'enc.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
  await signsAndVerifies(await loadKeys({ dir, passphrase: 's3cret' }), 'ES256');
  expect(await problems(loadKeys({ dir }))).toEqual(['CERTS_DIR: enc.pem is encrypted; set CERTS_PASSPHRASE to its passphrase']);
  expect(await problems(loadKeys({ dir, passphrase: 'wrong' }))).toEqual(['CERTS_DIR: enc.pem cannot be decrypted with CERTS_PASSPHRASE']);
});

test('a certificate beside a key is published as x5c and x5t#S256', async () => {
  const dir = tempDir();
  const { cert } = makeKeyAndCertificate(dir, 'signing', 'rsa');
  const set = await loadKeys({ dir });
  const der = new X509Certificate(readFileSync(cert)).raw;
  expect(set.jwks.keys[0]).toMatchObject({
    x5c: [der.toString('base64')],
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  });
  await signsAndVerifies(set, 'RS256');
});

test('a certificate that does not match its key, or has no key, is refused', async () => {
  const dir = tempDir();
  makeKeyAndCertificate(dir, 'one', 'ec');
  const other = makeKeyAndCertificate(dir, 'two', 'ec');
  renameSync(other.cert, join(dir, 'one.crt'));
  unlinkSync(other.key);
  const orphan = makeKeyAndCertificate(dir, 'three', 'ec');
  unlinkSync(orphan.key);
  expect(await problems(loadKeys({ dir }))).toEqual([
    'CERTS_DIR: one.key does not match the public key of its certificate',
    'CERTS_DIR: certificate three has no private key beside it (three.pem, three.key or three.pfx)',
  ]);
});

test.each([
  ['RSA, OpenSSL 3 defaults (AES-256, PBKDF2)', 'rsa', [], 'RS256'],
  ['RSA, legacy 3DES/RC2', 'rsa', ['-legacy'], 'RS256'],
  ['EC P-256', 'ec', [], 'ES256'],
] as const)('PKCS#12 with a password and its certificate: %s', async (_name, kind, extra, alg) => {
  const dir = tempDir();
  const { key, cert } = makeKeyAndCertificate(dir, 'seed', kind);
  openssl(dir, ['pkcs12', '-export', ...extra, '-inkey', key, '-in', cert, '-out', 'identity.pfx', '-passout', 'pass:Pfx-Pa55']);
  unlinkSync(key);
  unlinkSync(cert);
  const set = await loadKeys({ dir, passphrase: 'Pfx-Pa55', requiredAlgs: [alg] });
  expect(set.keys).toHaveLength(1);
  expect(set.jwks.keys[0]).toHaveProperty('x5c');
  await signsAndVerifies(set, alg);
  expect(await problems(loadKeys({ dir, passphrase: 'nope' }))).toEqual(['CERTS_DIR: identity.pfx cannot be opened with the configured password']);
  expect(await problems(loadKeys({ dir }))).toEqual(['CERTS_DIR: identity.pfx is a PKCS#12 file; set CERTS_PASSPHRASE to its password']);
});

test('unsupported and weak keys are named, and a missing algorithm says how to add a key', async () => {
  const dir = tempDir();
  openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'weak.pem']);
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', 'p384.pem']);
  writeFileSync(join(dir, 'junk.pem'), 'hello');
  expect(await problems(loadKeys({ dir, requiredAlgs: ['ES256'] }))).toEqual([
    'CERTS_DIR: junk.pem holds no PEM private key',
    'CERTS_DIR: p384.pem EC keys must be on P-256 for ES256 (this one is on secp384r1)',
    'CERTS_DIR: weak.pem RSA keys must have at least 2048 bits (this one has 1024)',
    `CERTS_DIR: no active key in ${dir} can sign ES256, which ACCESS_TOKEN_ALG or a resource server asks for (add one with: tessera keys generate --alg ES256)`,
  ]);
});

test('keys.json pins alg and kid', async () => {
  const dir = tempDir();
  generateKeyFile(dir, 'RS256', 'rsa');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ rsa: { alg: 'PS256', kid: 'signing-2026' } }));
  const set = await loadKeys({ dir });
  expect(set.jwks.keys[0]).toMatchObject({ kid: 'signing-2026', alg: 'PS256' });
  await signsAndVerifies(set, 'PS256');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ rsa: { alg: 'ES256' } }));
  expect(await problems(loadKeys({ dir }))).toEqual(['CERTS_DIR: rsa.pem cannot sign ES256 (keys.json); it can sign RS256, PS256']);
});
