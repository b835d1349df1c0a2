import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { isJwsAlgorithm, verifyJws } from '../keys/jws-algorithms.ts';
import { algorithmsFor } from '../keys/signing-key.ts';

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

const mediaType = (value: string): string => value.toLowerCase().replace(/^application\//, '');

function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A verifier of the JWTs this Tessera signed, with the published keys of its own JWKS, done
 * synchronously with node:crypto: a token exchange verifies a new subject token on every
 * request, and on the event loop that costs about half of what a WebCrypto verification costs
 * with its hand-off to the thread pool. The checks are those of an RFC 7519 / RFC 8725
 * verification: compact form, an allowed `alg` that the key named by `kid` fits and is published
 * for, no `crit` extensions, the expected `typ` and `iss`, the required claims, numeric `exp` (in
 * the future), `iat` (not in the future beyond `clockTolerance`) and `nbf` (not in the future).
 */
export function createOwnJwtVerifier(jwks: { readonly keys: readonly Record<string, unknown>[] }, expect: JwtExpectations): OwnJwtVerifier {
  // Each published key with the algorithms it verifies: those its type fits (the rule keys are
  // loaded by), narrowed to its `alg` when the JWK names one.
  const keys = new Map<string, { key: KeyObject; algs: readonly string[] }>();
  for (const jwk of jwks.keys) {
    if (typeof jwk.kid !== 'string') continue;
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const fitting = algorithmsFor(key);
    const algs = typeof fitting === 'string' ? [] : fitting.filter((alg) => jwk.alg === undefined || jwk.alg === alg);
    keys.set(jwk.kid, { key, algs });
  }
  const typ = mediaType(expect.typ);

  return (jwt, now) => {
    const parts = jwt.split('.');
    if (parts.length !== 3) throw new JwtRejected('invalid');
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    const header = decodeObject(encodedHeader);
    const alg = header?.alg;
    if (!header || typeof alg !== 'string' || !expect.algorithms.includes(alg) || !isJwsAlgorithm(alg)) throw new JwtRejected('invalid');
    if (header.crit !== undefined || header.b64 !== undefined) throw new JwtRejected('invalid');
    if (typeof header.typ !== 'string' || mediaType(header.typ) !== typ) throw new JwtRejected('invalid');
    const published = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
    if (!published?.algs.includes(alg)) throw new JwtRejected('invalid');
    const valid = verifyJws(alg, Buffer.from(`${encodedHeader}.${encodedPayload}`), published.key, Buffer.from(encodedSignature, 'base64url'));
    if (!valid) throw new JwtRejected('invalid');

    const claims = decodeObject(encodedPayload);
    if (!claims || claims.iss !== expect.issuer || expect.requiredClaims.some((name) => claims[name] === undefined)) throw new JwtRejected('invalid');
    const { exp, iat, nbf } = claims;
    if ((exp !== undefined && typeof exp !== 'number') || (iat !== undefined && typeof iat !== 'number')) throw new JwtRejected('invalid');
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) throw new JwtRejected('invalid');
    if (typeof exp === 'number' && exp <= now) throw new JwtRejected('expired');
    if (typeof iat === 'number' && iat > now + expect.clockTolerance) throw new JwtRejected('issued_in_future');
    return claims;
  };
}
