import { SUPPORTED_ALGORITHMS } from '../resource-server/jwk-usage.ts';
import type { VerifyAlgorithm } from '../resource-server/jwk-usage.ts';
import { createJwtCore } from '../resource-server/jwt-core.ts';
import { buildKeySet } from '../resource-server/key-set.ts';
import { TokenRejectedError } from '../resource-server/token-rejected-error.ts';

/** What a JWT must be besides well signed. */
export interface JwtExpectations {
  readonly issuer: string;
  /** The `typ` header, compared as media types are (`application/` optional, any case). */
  readonly typ: string;
  readonly algorithms: readonly string[];
  /** Claims that must be present. */
  readonly requiredClaims: readonly string[];
  /** Seconds an `iat` may lie in the future (clock skew between instances), as the kit's `clockTolerance`. */
  readonly clockTolerance: number;
}

/** Why a JWT was rejected: not what was expected, expired, or issued in the future. */
export type JwtRejection = 'invalid' | 'expired' | 'issued_in_future';

/** A JWT that is not what was expected, has expired, or was issued in the future. */
export class JwtRejected extends Error {
  readonly reason: JwtRejection;

  constructor(reason: JwtRejection) {
    super(reason);
    this.reason = reason;
  }
}

/** Verifies a compact JWT at `now` (seconds) and returns its claims, or throws {@link JwtRejected}. */
export type OwnJwtVerifier = (jwt: string, now: number) => Record<string, unknown>;

const supported: readonly string[] = SUPPORTED_ALGORITHMS;

/**
 * A verifier of the JWTs this Tessera signed, with the published keys of its own JWKS, done
 * synchronously by the resource-server kit's JWT core (node:crypto, each key imported once): a
 * token exchange verifies a new subject token on every request, and on the event loop that
 * costs about half of what a WebCrypto verification costs with its hand-off to the thread pool.
 * The checks are those of an RFC 7519 / RFC 8725 verification: compact form, an allowed `alg`
 * that the key named by `kid` fits and is published for, no `crit` extensions, the expected
 * `typ` and `iss`, the required claims, numeric `exp` (in the future), `iat` (not in the future
 * beyond `clockTolerance`) and `nbf` (not in the future).
 *
 * @example
 * ```ts
 * const verify = createOwnJwtVerifier(keys.jwks, { issuer, typ: 'at+jwt', algorithms: ['ES256'], requiredClaims: ['exp'], clockTolerance: 5 });
 * const claims = verify(jwt, Math.floor(Date.now() / 1000));
 * ```
 */
export function createOwnJwtVerifier(jwks: { readonly keys: readonly Record<string, unknown>[] }, expect: JwtExpectations): OwnJwtVerifier {
  const algorithms = expect.algorithms.filter((alg): alg is VerifyAlgorithm => supported.includes(alg));
  // Each published key for the algorithms it fits, narrowed to its `alg` when the JWK names one.
  const keys = buildKeySet(jwks, algorithms, () => {});
  // `exp` and `nbf` are held to the second; only `iat` gets the clock tolerance (below).
  const core = createJwtCore({ issuer: expect.issuer, typ: expect.typ, algorithms, requiredClaims: expect.requiredClaims, clockTolerance: 0 });

  return (jwt, now) => {
    let claims: Record<string, unknown>;
    try {
      const decoded = core.decode(jwt);
      const key = decoded.kid === undefined ? undefined : keys.find(decoded.alg, decoded.kid);
      if (key === undefined) throw new JwtRejected('invalid');
      claims = core.finish(decoded, key, now);
    } catch (err) {
      if (err instanceof TokenRejectedError) throw new JwtRejected(err.reason === 'expired' ? 'expired' : 'invalid');
      throw err;
    }
    if (typeof claims.iat === 'number' && claims.iat > now + expect.clockTolerance) throw new JwtRejected('issued_in_future');
    return claims;
  };
}
