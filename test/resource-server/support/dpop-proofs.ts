import { createHash, randomUUID } from 'node:crypto';

import { exportJWK, SignJWT } from 'jose';
import type { JWTHeaderParameters } from 'jose';

/** The `ath` of an access token: base64url SHA-256 (RFC 9449 §4.2). */
export function athOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * A DPoP proof signed with `keys` for `GET url` and `token`, as a client library would make it;
 * `claims` and `header` entries override (undefined removes), to make the wrong ones.
 */
export async function makeProof(
  keys: CryptoKeyPair,
  url: string,
  token: string,
  claims: Record<string, unknown> = {},
  header: Partial<JWTHeaderParameters> = {},
): Promise<string> {
  const payload = Object.fromEntries(
    Object.entries({
      jti: randomUUID(),
      htm: 'GET',
      htu: url,
      iat: Math.floor(Date.now() / 1000),
      ath: athOf(token),
      ...claims,
    }).filter(([, value]) => value !== undefined),
  );
  const protectedHeader = { alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keys.publicKey), ...header } as JWTHeaderParameters;
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(keys.privateKey);
}
