import { createHash, X509Certificate } from 'node:crypto';

import type { JWK } from 'jose';

/**
 * The public key of an X.509 certificate as a JWK, with the certificate as `x5c` and its
 * SHA-256 thumbprint as `x5t#S256`, the way Tessera publishes a key that has a certificate.
 *
 * @example
 * ```ts
 * const jwk = jwkFromCertificate(new X509Certificate(readFileSync('signing.crt')));
 * ```
 */
export function jwkFromCertificate(certificate: X509Certificate): JWK {
  return {
    ...(certificate.publicKey.export({ format: 'jwk' }) as JWK),
    x5c: [certificate.raw.toString('base64')],
    'x5t#S256': createHash('sha256').update(certificate.raw).digest('base64url'),
  };
}

const KEY_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;

/**
 * Why a JWK's `x5c` / `x5t#S256` contradict it, or undefined when they agree (or are absent):
 * a key published with a certificate must be that certificate's key.
 *
 * @example
 * ```ts
 * const problem = certificateMismatch(jwk); // 'x5c certificate holds another key'
 * ```
 */
export function certificateMismatch(jwk: JWK): string | undefined {
  const first = jwk.x5c?.[0];
  if (first === undefined) return jwk['x5t#S256'] === undefined ? undefined : 'x5t#S256 without x5c';
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(first, 'base64'));
  } catch {
    return 'x5c is not an X.509 certificate';
  }
  const fromCertificate = jwkFromCertificate(certificate);
  if (KEY_MEMBERS.some((member) => fromCertificate[member] !== jwk[member])) return 'x5c certificate holds another key';
  const thumbprint = jwk['x5t#S256'];
  if (thumbprint !== undefined && thumbprint !== fromCertificate['x5t#S256']) return 'x5t#S256 is not the thumbprint of x5c';
  return undefined;
}
