/** The claim of an access token an entry matches: each revocation event ends tokens by one of them. */
export type RevokedClaim = 'jti' | 'grant_ref' | 'sub' | 'client_id';

export const REVOKED_CLAIMS: readonly RevokedClaim[] = ['jti', 'grant_ref', 'sub', 'client_id'];

/**
 * One revocation, as stored and as published in the feed: every access token whose `claim`
 * equals `value` (and, with `iat_max`, whose `iat` is at most `iat_max`) is revoked. `exp`
 * (seconds since the epoch) is when the entry may be forgotten: no token it covers is valid
 * after it.
 */
export interface RevocationEntry {
  readonly claim: RevokedClaim;
  readonly value: string;
  readonly exp: number;
  readonly iat_max?: number;
}

/** The claims of a token that revocation looks at. */
export interface RevocableClaims {
  readonly jti?: unknown;
  readonly grant_ref?: unknown;
  readonly sub?: unknown;
  readonly client_id?: unknown;
  readonly iat?: unknown;
}

/** Whether `entry` ends a token with `claims` (the value matching is the caller's lookup). */
export function covers(entry: Pick<RevocationEntry, 'iat_max'>, claims: RevocableClaims): boolean {
  return entry.iat_max === undefined || (typeof claims.iat === 'number' && claims.iat <= entry.iat_max);
}

/** Two entries for the same claim and value, as one: the later expiry and the later `iat_max`. */
export function mergeEntries(a: RevocationEntry, b: RevocationEntry): RevocationEntry {
  const iatMax = a.iat_max === undefined || b.iat_max === undefined ? undefined : Math.max(a.iat_max, b.iat_max);
  return { claim: a.claim, value: a.value, exp: Math.max(a.exp, b.exp), ...(iatMax === undefined ? {} : { iat_max: iatMax }) };
}
