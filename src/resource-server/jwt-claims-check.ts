import { TokenRejectedError } from './token-rejected-error.ts';

/** What the claims of a JWT must be, besides well signed. */
export interface ClaimRules {
  /** `iss` must be exactly this. */
  readonly issuer: string;
  /** When set, `aud` (a string or an array) must contain it. */
  readonly audience?: string;
  /** Claims that must be present, besides `iss` (and `aud` with `audience`). */
  readonly requiredClaims: readonly string[];
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  readonly clockTolerance: number;
}

function numericDate(claims: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TokenRejectedError('invalid_claim', `"${name}" claim must be a number`);
  return value;
}

function hasAudience(aud: unknown, audience: string): boolean {
  return typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience);
}

/**
 * The RFC 7519 §4.1 checks of a verified JWT's claims, in this order: the required claims are
 * present (`iss`, `aud` first), `iss` is the issuer, `aud` contains the audience, `iat`, `nbf`
 * and `exp` are numbers, `nbf` is not in the future and `exp` not in the past beyond the clock
 * tolerance. Throws a {@link TokenRejectedError} (`missing_claim`, `issuer_mismatch`,
 * `audience_mismatch`, `invalid_claim`, `not_yet_valid`, `expired`).
 *
 * @example
 * ```ts
 * checkClaims(payload, { issuer, audience: 'resource_server', requiredClaims: ['exp'], clockTolerance: 5 }, nowSeconds);
 * ```
 */
export function checkClaims(claims: Readonly<Record<string, unknown>>, rules: ClaimRules, now: number): void {
  const { issuer, audience, requiredClaims, clockTolerance } = rules;
  if (!Object.hasOwn(claims, 'iss')) throw new TokenRejectedError('missing_claim', 'missing required "iss" claim');
  if (audience !== undefined && !Object.hasOwn(claims, 'aud')) throw new TokenRejectedError('missing_claim', 'missing required "aud" claim');
  for (const name of requiredClaims) {
    if (!Object.hasOwn(claims, name)) throw new TokenRejectedError('missing_claim', `missing required "${name}" claim`);
  }
  if (claims.iss !== issuer) throw new TokenRejectedError('issuer_mismatch', 'unexpected "iss" claim value');
  if (audience !== undefined && !hasAudience(claims.aud, audience)) throw new TokenRejectedError('audience_mismatch', 'unexpected "aud" claim value');
  numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > now + clockTolerance) throw new TokenRejectedError('not_yet_valid', '"nbf" claim timestamp check failed');
  const exp = numericDate(claims, 'exp');
  if (exp !== undefined && exp <= now - clockTolerance) throw new TokenRejectedError('expired', '"exp" claim timestamp check failed');
}
