import type { JWK } from 'jose';

import type { FetchLike } from './fetch-json.ts';
import { DEFAULT_ALGORITHMS, keyAlgorithms, SUPPORTED_ALGORITHMS } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { toEventSink } from './kit-events.ts';
import type { EventSink, KitLogger } from './kit-events.ts';
import { readCertificateFile, readJwksFile } from './read-key-file.ts';
import { ResourceServerConfigError } from './resource-server-config-error.ts';
import { isSecureUrl } from './secure-url.ts';

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

function seconds(problems: string[], name: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) problems.push(`${name}: must be a number of seconds ≥ ${minimum}`);
  return value;
}

function readPinned(problems: string[], options: VerifierOptions): JWK[] | undefined {
  const given = (['jwks', 'jwksPath', 'publicCertPath'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) problems.push(`${given.join(', ')}: give at most one source of pinned keys`);
  const name = given[0];
  if (name === undefined) return undefined;
  try {
    if (name === 'jwks') {
      if (!Array.isArray(options.jwks?.keys)) throw new Error('is not a JWK Set (no "keys" array)');
      return [...options.jwks.keys];
    }
    return name === 'jwksPath' ? readJwksFile(options.jwksPath!) : readCertificateFile(options.publicCertPath!);
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
    return [];
  }
}

function readRevocation(problems: string[], option: VerifierOptions['revocation'], offline: boolean): ResolvedVerifierOptions['revocation'] {
  if (option === false || (offline && option === undefined)) return undefined;
  if (offline) problems.push('revocation: the revocation feed is followed by online verifiers only; remove it, or the pinned keys');
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    problems.push('revocation: must be false or { pollInterval, maxStaleness }');
    return undefined;
  }
  return {
    pollIntervalMs: seconds(problems, 'revocation.pollInterval', option?.pollInterval, 5, 0.05) * 1000,
    maxStalenessMs: seconds(problems, 'revocation.maxStaleness', option?.maxStaleness, 30, 0) * 1000,
  };
}

function checkAlgorithms(problems: string[], algorithms: readonly string[]): readonly VerifyAlgorithm[] {
  const supported: readonly string[] = SUPPORTED_ALGORITHMS;
  const unsupported = algorithms.filter((alg) => !supported.includes(alg));
  if (algorithms.length === 0 || unsupported.length > 0) {
    problems.push(`algorithms: ${unsupported.length ? `${unsupported.join(', ')} cannot verify tokens with public keys` : 'is empty'}; use some of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  }
  return algorithms as readonly VerifyAlgorithm[];
}

/**
 * Applies the defaults and checks every option, reading pinned key files once. Throws one
 * {@link ResourceServerConfigError} naming every problem.
 *
 * @example
 * ```ts
 * const resolved = resolveVerifierOptions({ authority: 'https://id.example.com', publicCertPath: 'signing.crt' });
 * ```
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  const problems: string[] = [];
  const algorithms = checkAlgorithms(problems, options.algorithms ?? DEFAULT_ALGORITHMS);
  const pinned = readPinned(problems, options);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const authority = options.authority;
  if (typeof authority !== 'string' || !URL.canParse(authority)) problems.push('authority: must be the issuer URL, e.g. https://id.example.com');
  else if (!pinned && !isSecureUrl(authority, allowInsecureHttp)) problems.push(`authority: ${authority} is not https; plain http is allowed only on loopback or with allowInsecureHttp`);
  const audience = options.audience ?? 'resource_server';
  if (typeof audience !== 'string' || audience === '') problems.push('audience: must be a non-empty string');
  if (pinned && pinned.length > 0 && pinned.every((jwk) => typeof keyAlgorithms(jwk, algorithms) === 'string')) {
    problems.push(`${options.jwks ? 'jwks' : options.jwksPath ? 'jwksPath' : 'publicCertPath'}: no key verifies any of ${algorithms.join(', ')}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') problems.push('fetch: must be a fetch function');
  if (options.allowForeignJwksUri !== undefined && typeof options.allowForeignJwksUri !== 'boolean') problems.push('allowForeignJwksUri: must be true or false');
  const resolved: ResolvedVerifierOptions = {
    authority, audience, algorithms, pinned, allowInsecureHttp, allowForeignJwksUri: options.allowForeignJwksUri === true,
    clockTolerance: seconds(problems, 'clockTolerance', options.clockTolerance, 5, 0),
    cooldownMs: seconds(problems, 'cooldown', options.cooldown, 30, 0) * 1000,
    maxAgeMs: seconds(problems, 'maxAge', options.maxAge, 600, 0) * 1000,
    timeoutMs: seconds(problems, 'timeout', options.timeout, 5, 0.001) * 1000,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    emit: toEventSink(options.logger),
    revocation: readRevocation(problems, options.revocation, pinned !== undefined),
  };
  if (problems.length > 0) throw new ResourceServerConfigError(problems);
  return Object.freeze(resolved);
}
