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

interface Entry<T> {
  readonly verification: Promise<T>;
  exp?: number;
}

export function createVerifiedTokens<T extends { readonly exp: number } = PresentedToken>(capacity = REMEMBERED_TOKENS): VerifiedTokens<T> {
  const entries = new Map<string, Entry<T>>();
  return {
    verify(jwt, now, verify) {
      const known = entries.get(jwt);
      if (known) entries.delete(jwt);
      if (known && (known.exp === undefined || known.exp > now)) {
        entries.set(jwt, known);
        return known.verification;
      }
      const entry: Entry<T> = {
        verification: verify().then((token) => {
          entry.exp = token.exp;
          return token;
        }, (err: unknown) => {
          if (entries.get(jwt) === entry) entries.delete(jwt);
          throw err;
        }),
      };
      entries.set(jwt, entry);
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return entry.verification;
    },
  };
}
