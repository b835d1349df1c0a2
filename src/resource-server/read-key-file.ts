import { createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { JWK } from 'jose';

import { jwkFromCertificate } from './jwk-certificate.ts';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

function pemKeys(text: string): JWK[] {
  const keys: JWK[] = [];
  for (const [block, label] of text.matchAll(PEM_BLOCK)) {
    if (label === 'CERTIFICATE') keys.push(jwkFromCertificate(new X509Certificate(block)));
    else if (label === 'PUBLIC KEY') keys.push(createPublicKey(block).export({ format: 'jwk' }) as JWK);
    else throw new Error(`holds a ${label} block; only certificates and public keys may be pinned`);
  }
  return keys;
}

/**
 * The public keys pinned in a certificate file: PEM (any number of CERTIFICATE or PUBLIC KEY
 * blocks, like the seed deployment's `PublicCertPath`) or one DER certificate. Throws an Error
 * whose message says what is wrong with the file.
 *
 * @example
 * ```ts
 * const jwks = readCertificateFile('/etc/tessera/signing.crt'); // [{ kty: 'EC', crv: 'P-256', x, y, x5c, 'x5t#S256' }]
 * ```
 */
export function readCertificateFile(path: string): JWK[] {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  const keys = text.includes('-----BEGIN') ? pemKeys(text) : [jwkFromCertificate(new X509Certificate(bytes))];
  if (keys.length === 0) throw new Error('holds no certificate');
  return keys;
}

/**
 * The keys of a JWK Set file (`{ "keys": [...] }`), as published at Tessera's `jwks_uri`.
 *
 * @example
 * ```ts
 * const jwks = readJwksFile('/etc/tessera/jwks.json');
 * ```
 */
export function readJwksFile(path: string): JWK[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('is not a JWK Set (no "keys" array)');
  return keys as JWK[];
}
