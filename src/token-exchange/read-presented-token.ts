import type { Provider } from 'oidc-provider';

import { SIGNING_ALGS } from '../config/signing-algorithms.ts';
import { createCryptoBatch } from '../keys/crypto-batch.ts';
import { grantRef } from '../revocation/grant-ref.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { invalidGrant } from './invalid-grant.ts';
import type { ActClaim, PresentedToken } from './presented-token.ts';
import { JWT_TOKEN_TYPE } from './token-types.ts';
import { createVerifiedTokens } from './verified-tokens.ts';
import { createOwnJwtVerifier, JwtRejected } from './verify-own-jwt.ts';
import type { JwtRejection } from './verify-own-jwt.ts';

/** Verifies subject and actor tokens: access tokens this Tessera issued, JWT or opaque. */
export type PresentedTokenReader = (value: string, type: string, parameter: 'subject_token' | 'actor_token') => Promise<PresentedToken>;

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** Seconds an `iat` may lie in the future: the kit's default `clockTolerance`. */
export const CLOCK_TOLERANCE = 5;

const REJECTIONS: Record<JwtRejection, string> = {
  invalid: 'is not a valid access token of this issuer',
  expired: 'has expired',
  issued_in_future: 'is not yet valid: its iat is in the future',
};

interface StoredAccessToken {
  readonly accountId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly scope?: string | undefined;
  readonly aud?: string | string[] | undefined;
  readonly exp?: number | undefined;
  readonly jti: string;
  readonly iat?: number | undefined;
  readonly grantId?: string | undefined;
  readonly extra?: Record<string, unknown> | undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function toPresented(claims: Record<string, unknown>, sub: unknown, clientId: unknown): PresentedToken | undefined {
  const { aud, exp, jti, scope, iat, grant_ref: ref } = claims;
  if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof exp !== 'number' || typeof jti !== 'string') return undefined;
  if (scope !== undefined && typeof scope !== 'string') return undefined;
  return {
    sub,
    client_id: clientId,
    exp,
    jti,
    iat: typeof iat === 'number' ? iat : undefined,
    grant_ref: typeof ref === 'string' ? ref : undefined,
    scopes: scope ? scope.split(' ') : [],
    audiences: typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [],
    act: asObject(claims.act) as ActClaim | undefined,
    // Kept as it is, so that a malformed one is refused rather than taken as absent.
    may_act: claims.may_act,
  };
}

/**
 * A reader of the tokens Tessera issued: a JWT must be an RFC 9068 access token (`typ: at+jwt`)
 * with this issuer, signed by one of the published keys, unexpired and not issued in the future
 * (beyond {@link CLOCK_TOLERANCE}); an opaque one must be an
 * unexpired, unrevoked access token in the store (looked up every time, as it can be revoked).
 * Anything else is `invalid_grant`.
 */
export function createPresentedTokenReader({ provider, keys }: { provider: Provider; keys: KeySet }): PresentedTokenReader {
  const verifyJwt = createOwnJwtVerifier(keys.jwks, {
    issuer: provider.issuer,
    typ: 'at+jwt',
    algorithms: SIGNING_ALGS,
    requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
    clockTolerance: CLOCK_TOLERANCE,
  });
  const verified = createVerifiedTokens();
  // Verified in a batch with the other verifications of the same turn of the event loop, as signatures are.
  const batch = createCryptoBatch();

  /** Verifies a JWT; one verification may serve several requests, each naming its own parameter in the error. */
  async function readVerified(value: string, now: number): Promise<PresentedToken> {
    const claims = await batch(() => verifyJwt(value, now));
    const presented = toPresented(claims, claims.sub, claims.client_id);
    if (!presented) throw new JwtRejected('invalid');
    return presented;
  }

  async function readJwt(value: string, parameter: string): Promise<PresentedToken> {
    try {
      const now = Math.floor(Date.now() / 1000);
      return await verified.verify(value, now, () => readVerified(value, now));
    } catch (err) {
      throw invalidGrant(`the ${parameter} ${REJECTIONS[err instanceof JwtRejected ? err.reason : 'invalid']}`);
    }
  }

  async function readOpaque(value: string, parameter: string): Promise<PresentedToken> {
    // Both models share one store: an unknown, expired or revoked value is found by neither.
    const found = ((await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value))) as StoredAccessToken | undefined;
    const presented =
      found &&
      toPresented(
        {
          ...found,
          ...found.extra,
          aud: found.aud,
          exp: found.exp,
          jti: found.jti,
          scope: found.scope,
          grant_ref: found.grantId ? grantRef(found.grantId) : found.extra?.grant_ref,
        },
        found.accountId ?? found.clientId,
        found.clientId,
      );
    if (!presented) throw invalidGrant(`the ${parameter} ${REJECTIONS.invalid}`);
    return presented;
  }

  return async (value, type, parameter) => {
    if (JWT_SHAPE.test(value)) return readJwt(value, parameter);
    if (type === JWT_TOKEN_TYPE) throw invalidGrant(`the ${parameter} is not a JWT`);
    return readOpaque(value, parameter);
  };
}
