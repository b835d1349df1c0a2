import type { KeyObject } from 'node:crypto';

import { decodeJsonObject, splitCompactJws } from './compact-jws.ts';
import type { CompactJws } from './compact-jws.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { checkClaims } from './jwt-claims-check.ts';
import type { ClaimRules } from './jwt-claims-check.ts';
import { verifyJwsSignature } from './jws-signature.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** What a JWT must be: its `typ`, an allowed `alg`, and the claim rules. */
export interface JwtRules extends ClaimRules {
  /** The `typ` header, compared as media types are (`application/` optional, any case). */
  readonly typ: string;
  readonly algorithms: readonly VerifyAlgorithm[];
}

/** A JWT whose header passed: the algorithm and `kid` that choose its key. Not verified yet. */
export interface DecodedJwt extends CompactJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly alg: VerifyAlgorithm;
  readonly kid: string | undefined;
}

/** The two halves of a verification, with the choice of the key (the caller's) between them. */
export interface JwtCore {
  /** Checks the compact form and the header (`crit`, `b64`, `alg`, `kid`); throws a {@link TokenRejectedError}. */
  decode(token: unknown): DecodedJwt;
  /** Verifies the signature with `key`, then `typ` and the claims at `now` (seconds); returns the claims. */
  finish(jwt: DecodedJwt, key: KeyObject, now: number): Record<string, unknown>;
}

const mediaType = (value: string): string => {
  const lower = value.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
};

/**
 * The kit's one JWT verification (RFC 7515, RFC 7519, RFC 8725), on node:crypto with key
 * objects imported once: the resource-server verifier, its revocation feed and Tessera's own
 * token checks all run it. The header must be a JSON object with an allowed `alg` and a string
 * `kid` if any; `crit` and `b64` are refused (no extension is understood, and RFC 9068 tokens
 * use none). After the signature: `typ`, then {@link checkClaims}. Every refusal is a
 * {@link TokenRejectedError} whose reason says which check failed.
 *
 * @example
 * ```ts
 * const core = createJwtCore({ typ: 'at+jwt', issuer, audience, algorithms: ['ES256'], requiredClaims: ['exp'], clockTolerance: 5 });
 * const jwt = core.decode(token);
 * const claims = core.finish(jwt, keys.find(jwt.alg, jwt.kid)!, Math.floor(Date.now() / 1000));
 * ```
 */
export function createJwtCore(rules: JwtRules): JwtCore {
  const allowed: readonly string[] = rules.algorithms;
  const typ = mediaType(rules.typ);
  return {
    decode(token) {
      const parts = splitCompactJws(token);
      const header = decodeJsonObject(parts.encodedHeader, 'malformed', 'JWS Protected Header is invalid');
      if (header.crit !== undefined || header.b64 !== undefined)
        throw new TokenRejectedError('malformed', 'the "crit" and "b64" header parameters are not supported');
      const { alg, kid } = header;
      if (typeof alg !== 'string' || alg === '') throw new TokenRejectedError('malformed', 'JWS "alg" (Algorithm) Header Parameter missing or invalid');
      if (!allowed.includes(alg)) throw new TokenRejectedError('algorithm_not_allowed', '"alg" (Algorithm) Header Parameter value not allowed');
      if (kid !== undefined && typeof kid !== 'string') throw new TokenRejectedError('malformed', 'the "kid" header is not a string');
      return { ...parts, header, alg: alg as VerifyAlgorithm, kid };
    },
    finish(jwt, key, now) {
      if (!verifyJwsSignature(jwt.alg, key, Buffer.from(jwt.signingInput), Buffer.from(jwt.encodedSignature, 'base64url'))) {
        throw new TokenRejectedError('bad_signature', 'signature verification failed');
      }
      const claims = decodeJsonObject(jwt.encodedPayload, 'malformed', 'JWT Claims Set must be a top-level JSON object');
      const given = jwt.header.typ;
      if (typeof given !== 'string' || mediaType(given) !== typ) throw new TokenRejectedError('wrong_type', 'unexpected "typ" JWT header value');
      checkClaims(claims, rules, now);
      return claims;
    },
  };
}
