import { createBoundedCache } from '../support/bounded-cache.ts';
import type { PresentedToken } from './presented-token.ts';

/** The most verified JWTs remembered; the least recently used go first. */
export const REMEMBERED_TOKENS = 10_000;

/**
 * JWT subject and actor tokens verified (or being verified), keyed by their exact compact form,
 * so a token presented again — one user token exchanged for several audiences at once, or by
 * several replicas of a service — is verified once. A failed verification is not kept; a
 * verified token is kept until its `exp`. One memory per engine instance: when the signing keys
 * change the engine is rebuilt and the memory starts empty, so a token of a key taken out of
 * CERTS_DIR is never accepted from it.
 */
export interface VerifiedTokens<T extends { readonly exp: number } = PresentedToken> {
  /** The token's verification, shared with every caller presenting the same JWT until it expires. */
  verify(jwt: string, now: number, verify: () => Promise<T>): Promise<T>;
}

/** Creates the memory of verified JWTs, holding at most `capacity` (the least recently used go first). */
export function createVerifiedTokens<T extends { readonly exp: number } = PresentedToken>(capacity = REMEMBERED_TOKENS): VerifiedTokens<T> {
  const entries = createBoundedCache<string, Promise<T>>(capacity);
  return {
    verify(jwt, now, verify) {
      const known = entries.get(jwt, now);
      if (known) return known;
      const verification: Promise<T> = verify().then(
        (token) => {
          if (entries.peek(jwt) === verification) entries.set(jwt, verification, token.exp);
          return token;
        },
        (err: unknown) => {
          if (entries.peek(jwt) === verification) entries.delete(jwt);
          throw err;
        },
      );
      entries.set(jwt, verification);
      return verification;
    },
  };
}
