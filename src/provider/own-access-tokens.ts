import type { Provider } from 'oidc-provider';

import { createCryptoBatch } from '../keys/crypto-batch.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { CLOCK_TOLERANCE } from '../token-exchange/read-presented-token.ts';
import { createVerifiedTokens } from '../token-exchange/verified-tokens.ts';
import { createOwnJwtVerifier, JwtRejected } from '../token-exchange/verify-own-jwt.ts';
import type { AccessTokenGrant, AccessTokenGrants } from './access-token-grants.ts';
import type { JwtLiveness } from './jwt-liveness.ts';
import { createSeenBefore } from './seen-before.ts';

/** A compact JWS: three base64url parts. */
export const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A JWT access token of this issuer, verified and still live. */
export interface OwnAccessToken {
  /** Every claim of the token, as signed. */
  readonly claims: Readonly<Record<string, unknown>> & {
    readonly sub: string;
    readonly client_id: string;
    readonly jti: string;
    readonly iat: number;
    readonly exp: number;
  };
  /** The grant it was issued on; none for client_credentials and exchanged tokens. */
  readonly grant?: AccessTokenGrant | undefined;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
}

/** Reads a JWT access token of this issuer: `undefined` unless it verifies, has not expired and is still live. */
export type OwnAccessTokenReader = (jwt: string) => Promise<OwnAccessToken | undefined>;

/**
 * A reader of Tessera's RFC 9068 access tokens (`typ: at+jwt`, this issuer, a published key, one
 * of `algorithms`, unexpired) on the one JWT verifier of this issuer's tokens, in a batch with
 * the other verifications of the same turn of the event loop, and the record of its grant. Both
 * are remembered until the token expires, from the token's second sighting on (a gateway
 * introspects the same token on every call; a token seen once is not kept): neither can change. Whether it is still live is asked every time (for a new token, its
 * revocation entries are read together with its grant record).
 */
export function createOwnAccessTokenReader({
  provider,
  keys,
  algorithms,
  grants,
  liveness,
}: {
  provider: Provider;
  keys: KeySet;
  algorithms: readonly string[];
  grants: AccessTokenGrants;
  liveness: JwtLiveness;
}): OwnAccessTokenReader {
  const verifyJwt = createOwnJwtVerifier(keys.jwks, {
    issuer: provider.issuer,
    typ: 'at+jwt',
    algorithms,
    requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
    clockTolerance: CLOCK_TOLERANCE,
  });
  const batch = createCryptoBatch();
  const verified = createVerifiedTokens<OwnAccessToken>();
  const seenBefore = createSeenBefore();

  /** Verifies `jwt` and reads its grant record; `onVerified` gets the claims as soon as the signature holds. */
  async function readVerified(jwt: string, now: number, onVerified: (claims: OwnAccessToken['claims']) => void): Promise<OwnAccessToken> {
    const claims = await batch(() => verifyJwt(jwt, now));
    const { sub, client_id: clientId, jti, iat, exp } = claims;
    if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      throw new JwtRejected('invalid');
    }
    const verifiedClaims = { ...claims, sub, client_id: clientId, jti, iat, exp };
    onVerified(verifiedClaims);
    return { claims: verifiedClaims, grant: await grants.find(jti), exp };
  }

  return async (jwt) => {
    let token: OwnAccessToken;
    // A token new to this process has its revocation entries read together with its grant record.
    let revoked: Promise<boolean> | undefined;
    try {
      const now = Math.floor(Date.now() / 1000);
      const read = () =>
        readVerified(jwt, now, (claims) => {
          revoked = liveness.revoked(claims);
          revoked.catch(() => {});
        });
      token = await (seenBefore(jwt) ? verified.verify(jwt, now, read) : read());
    } catch (err) {
      if (err instanceof JwtRejected) return undefined;
      throw err;
    }
    return (await liveness.isLive(token, revoked ?? liveness.revoked(token.claims))) ? token : undefined;
  };
}
