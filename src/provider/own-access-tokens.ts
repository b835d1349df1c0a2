import type { Provider } from 'oidc-provider';

import { createCryptoBatch } from '../keys/crypto-batch.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { createOwnJwtVerifier, JwtRejected } from '../token-exchange/verify-own-jwt.ts';
import type { AccessTokenGrant, AccessTokenGrants } from './access-token-grants.ts';
import type { JwtLiveness } from './jwt-liveness.ts';

/** A compact JWS: three base64url parts. */
export const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A JWT access token of this issuer, verified and still live. */
export interface OwnAccessToken {
  /** Every claim of the token, as signed. */
  readonly claims: Readonly<Record<string, unknown>> & {
    readonly sub: string; readonly client_id: string; readonly jti: string; readonly iat: number; readonly exp: number;
  };
  /** The grant it was issued on; none for client_credentials and exchanged tokens. */
  readonly grant?: AccessTokenGrant | undefined;
}

/** Reads a JWT access token of this issuer: `undefined` unless it verifies, has not expired and is still live. */
export type OwnAccessTokenReader = (jwt: string) => Promise<OwnAccessToken | undefined>;

/**
 * A reader of Tessera's RFC 9068 access tokens (`typ: at+jwt`, this issuer, a published key, one
 * of `algorithms`, unexpired) on the one JWT verifier of this issuer's tokens, in a batch with
 * the other verifications of the same turn of the event loop; then the record of its grant, and
 * whether it is still live.
 */
export function createOwnAccessTokenReader({ provider, keys, algorithms, grants, isLive }: {
  provider: Provider;
  keys: KeySet;
  algorithms: readonly string[];
  grants: AccessTokenGrants;
  isLive: JwtLiveness;
}): OwnAccessTokenReader {
  const verify = createOwnJwtVerifier(keys.jwks, {
    issuer: provider.issuer, typ: 'at+jwt', algorithms, requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
  });
  const batch = createCryptoBatch();

  return async (jwt) => {
    let claims: Record<string, unknown>;
    try {
      claims = await batch(() => verify(jwt, Math.floor(Date.now() / 1000)));
    } catch (err) {
      if (err instanceof JwtRejected) return undefined;
      throw err;
    }
    const { sub, client_id: clientId, jti, iat, exp } = claims;
    if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      return undefined;
    }
    const token: OwnAccessToken = { claims: { ...claims, sub, client_id: clientId, jti, iat, exp }, grant: await grants.find(jti) };
    return await isLive(token) ? token : undefined;
  };
}
