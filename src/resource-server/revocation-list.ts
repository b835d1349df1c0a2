/** A feed entry: tokens whose `claim` is `value` (and, with `iat_max`, whose `iat` is at most it) are revoked until `exp`. */
export interface FeedEntry {
  readonly claim: 'jti' | 'grant_ref' | 'sub' | 'client_id';
  readonly value: string;
  readonly exp: number;
  readonly iat_max?: number;
}

const CLAIMS = ['jti', 'grant_ref', 'sub', 'client_id'] as const;

interface Held {
  readonly exp: number;
  readonly iatMax: number | undefined;
}

/** The revocations a resource server holds, by claim; lookups are a few map reads. */
export interface RevocationList {
  /** Adds (or, for a known claim and value, widens) an entry. */
  apply(entry: FeedEntry): void;
  /** Whether an entry covers a token with these claims. */
  covers(claims: { readonly [claim: string]: unknown }): boolean;
  /** Forgets entries that expired before `now` (seconds). */
  purge(now: number): void;
  readonly size: number;
}

/** An empty {@link RevocationList}. */
export function createRevocationList(): RevocationList {
  const byClaim = new Map<string, Map<string, Held>>(CLAIMS.map((claim) => [claim, new Map()]));
  let size = 0;
  return {
    apply({ claim, value, exp, iat_max: iatMax }) {
      const held = byClaim.get(claim);
      if (!held) return;
      const known = held.get(value);
      if (!known) size += 1;
      held.set(
        value,
        known
          ? {
              exp: Math.max(known.exp, exp),
              iatMax: known.iatMax === undefined || iatMax === undefined ? undefined : Math.max(known.iatMax, iatMax),
            }
          : { exp, iatMax },
      );
    },
    covers(claims) {
      if (size === 0) return false;
      for (const claim of CLAIMS) {
        const value = claims[claim];
        if (typeof value !== 'string') continue;
        const held = byClaim.get(claim)!.get(value);
        if (held && (held.iatMax === undefined || (typeof claims.iat === 'number' && claims.iat <= held.iatMax))) return true;
      }
      return false;
    },
    purge(now) {
      for (const held of byClaim.values()) {
        for (const [value, { exp }] of held) {
          if (exp < now) {
            held.delete(value);
            size -= 1;
          }
        }
      }
    },
    get size() {
      return size;
    },
  };
}
