import type { JWK } from 'jose';

import type { FetchLike } from './fetch-json.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink, KitLogger } from './kit-events.ts';

/**
 * How a resource server verifies Tessera's access tokens. With none of `jwks`, `jwksPath` and
 * `publicCertPath` the verifier is online (keys from the authority's `jwks_uri`); with one of
 * them it is offline and never uses the network. Durations are in seconds.
 */
export interface VerifierOptions {
  /** The issuer, exactly as Tessera's ISSUER and every token's `iss` spell it (no normalisation). */
  readonly authority: string;
  /** The audience this resource server is; a token's `aud` must contain it. Default `resource_server`. */
  readonly audience?: string;
  /** Accepted JWS algorithms, asymmetric only. Default `ES256`, `RS256`, `PS256`, `EdDSA`. */
  readonly algorithms?: readonly string[];
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. Default 5. */
  readonly clockTolerance?: number;
  /** Offline: pinned keys given inline, as a JWK Set. */
  readonly jwks?: { readonly keys: readonly JWK[] };
  /** Offline: a JWK Set file, e.g. a saved copy of Tessera's JWKS. */
  readonly jwksPath?: string;
  /** Offline: a PEM (or DER) file of the signing certificate(s) or public key(s), like the seed's `PublicCertPath`. */
  readonly publicCertPath?: string;
  /** Online: least time between two fetches of the JWKS, whatever the number of unknown `kid`s. Default 30. */
  readonly cooldown?: number;
  /** Online: age after which the JWKS is refreshed in the background. Default 600; a shorter `Cache-Control: max-age` of the JWKS response wins. */
  readonly maxAge?: number;
  /** Online: time limit of one discovery or JWKS request. Default 5. */
  readonly timeout?: number;
  /** Online: allow plain http to a non-loopback authority (never in production). Default false. */
  readonly allowInsecureHttp?: boolean;
  /**
   * Online: accept a discovery document whose `jwks_uri` is on another origin than the
   * authority's (keys served from a CDN or another host). Default false: such a document is
   * refused, since an altered one (a poisoned cache) would point the keys elsewhere.
   */
  readonly allowForeignJwksUri?: boolean;
  /** Online: the fetch implementation. Default the global `fetch`. */
  readonly fetch?: FetchLike;
  /**
   * Online: follow the issuer's revocation feed (`revocation_feed_endpoint` of its discovery)
   * and refuse revoked tokens (401 `invalid_token`, "the access token has been revoked").
   * `false` turns it off. Default on, with the defaults of {@link RevocationOptions}.
   */
  readonly revocation?: false | RevocationOptions;
  /** Receives key-set and revocation-feed events (`jwks.*`, `revocations.*`). */
  readonly logger?: KitLogger;
}

/** How the verifier follows the revocation feed. Durations in seconds. */
export interface RevocationOptions {
  /** Time between two reads of the feed: a revocation reaches this server within about this long. Default 5. */
  readonly pollInterval?: number;
  /**
   * How long, after reads of the feed start failing, tokens are still accepted on the list held;
   * after it, every token is refused with 503 `temporarily_unavailable` until a read succeeds
   * (0: at once). Default 30.
   */
  readonly maxStaleness?: number;
}

/** The options after defaults and checks; milliseconds for the online timings. */
export interface ResolvedVerifierOptions {
  readonly authority: string;
  readonly audience: string;
  readonly algorithms: readonly VerifyAlgorithm[];
  readonly clockTolerance: number;
  /** Pinned keys, or undefined for online. */
  readonly pinned: readonly JWK[] | undefined;
  readonly cooldownMs: number;
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
  readonly allowInsecureHttp: boolean;
  readonly allowForeignJwksUri: boolean;
  readonly fetch: FetchLike;
  readonly emit: EventSink;
  /** Feed settings in milliseconds, or undefined when the feed is not followed (turned off, or offline). */
  readonly revocation: { readonly pollIntervalMs: number; readonly maxStalenessMs: number } | undefined;
}
