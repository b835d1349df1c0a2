import type { KeyObject } from 'node:crypto';

import { toAccessTokenClaims } from './access-token-claims.ts';
import type { AccessTokenClaims } from './access-token-claims.ts';
import { fetchDiscovery } from './fetch-discovery.ts';
import type { IssuerMetadata } from './fetch-discovery.ts';
import { createJwtCore } from './jwt-core.ts';
import type { KeySet } from './key-set.ts';
import { createRemoteKeySource } from './remote-key-source.ts';
import { createRevocationFollower } from './revocation-follower.ts';
import type { RevocationFollower } from './revocation-follower.ts';
import { createStaticKeySource } from './static-key-source.ts';
import { TokenRejectedError } from './token-rejected-error.ts';
import { resolveVerifierOptions } from './resolve-verifier-options.ts';
import type { ResolvedVerifierOptions, VerifierOptions } from './verifier-options.ts';

/** Verifies Tessera's access tokens for one audience. */
export interface Verifier {
  readonly authority: string;
  readonly audience: string;
  /** The token's claims, or a {@link TokenRejectedError} saying why not. */
  verify(token: string): Promise<AccessTokenClaims>;
  /**
   * Loads the keys now (online: discovery and JWKS) instead of on the first token, and reads the
   * revocation feed once; rejects with `jwks_unavailable`.
   */
  ready(): Promise<void>;
  /** Stops following the revocation feed (its timer never keeps the process alive). */
  close(): void;
}

/** RFC 9068 §2.2: claims every access token carries (`iss` and `aud` are required by their checks). */
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub', 'client_id'];

/**
 * A verifier of RFC 9068 JWT access tokens: `typ` must be `at+jwt`, `iss` the authority exactly,
 * `aud` must contain the audience, `exp`/`nbf`/`iat` hold within the clock tolerance, the
 * algorithm is allowed, the key is the issuer's (or a pinned one), and (online) the token is not
 * on the issuer's revocation feed, followed in the background. Once the keys and the feed are
 * loaded, verifying makes no network call. Throws a `ResourceServerConfigError` for bad options.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ authority: 'https://id.example.com', audience: 'resource_server' });
 * const claims = await verifier.verify(token); // { sub, client_id, scope, ... }
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const resolved = resolveVerifierOptions(options);
  const { authority, audience, algorithms, clockTolerance, emit } = resolved;
  const discover = sharedDiscovery(resolved);
  const source = resolved.pinned
    ? createStaticKeySource(resolved.pinned, algorithms, emit)
    : createRemoteKeySource({
        authority,
        algorithms,
        emit,
        cooldown: resolved.cooldownMs,
        maxAge: resolved.maxAgeMs,
        timeout: resolved.timeoutMs,
        allowInsecureHttp: resolved.allowInsecureHttp,
        allowForeignJwksUri: resolved.allowForeignJwksUri,
        fetch: resolved.fetch,
        discover,
      });
  const core = createJwtCore({ issuer: authority, audience, typ: 'at+jwt', algorithms, clockTolerance, requiredClaims: REQUIRED_CLAIMS });

  async function awaitKey(alg: string, kid: string | undefined, keys: KeySet | undefined): Promise<KeyObject> {
    if (!keys) {
      const key = (await source.load()).find(alg, kid);
      if (key) return key;
    }
    const key = (await source.refetch())?.find(alg, kid);
    if (key) return key;
    throw new TokenRejectedError(
      'unknown_key',
      kid === undefined ? `the token names no kid and no single key verifies ${alg}` : `no key with kid ${JSON.stringify(kid)} verifies ${alg}`,
    );
  }

  // The key is chosen by `kid` among the issuer's keys only; `jku`, `x5u`, `jwk` and `x5c` in a
  // token header are never followed, so a token cannot bring its own key.
  function getKey(alg: string, kid: string | undefined): KeyObject | Promise<KeyObject> {
    const keys = source.current();
    return keys?.find(alg, kid) ?? awaitKey(alg, kid, keys);
  }

  const follower = followFeed(resolved, getKey, discover);

  return {
    authority,
    audience,
    async verify(token) {
      const jwt = core.decode(token);
      const found = getKey(jwt.alg, jwt.kid);
      const key = found instanceof Promise ? await found : found;
      const now = Math.floor(Date.now() / 1000);
      const claims = toAccessTokenClaims(core.finish(jwt, key, now), clockTolerance, now);
      // Synchronous once the feed is read: no extra turn of the event loop per token.
      const pending = follower?.check(claims);
      if (pending) await pending;
      return claims;
    },
    async ready() {
      await source.load();
      await follower?.start();
    },
    close() {
      follower?.stop();
    },
  };
}

/** The discovery document, fetched once for the key source and the feed follower (again after a failure). */
function sharedDiscovery({ authority, fetch, timeoutMs, allowInsecureHttp, allowForeignJwksUri }: ResolvedVerifierOptions): () => Promise<IssuerMetadata> {
  let metadata: Promise<IssuerMetadata> | undefined;
  return () => {
    metadata ??= fetchDiscovery(authority, fetch, { timeout: timeoutMs, allowInsecureHttp, allowForeignJwksUri }).catch((err: unknown) => {
      metadata = undefined;
      throw err;
    });
    return metadata;
  };
}

/** The feed follower of an online verifier, or undefined when revocation is off. */
function followFeed(
  resolved: ResolvedVerifierOptions,
  getKey: (alg: string, kid: string | undefined) => KeyObject | Promise<KeyObject>,
  discover: () => Promise<IssuerMetadata>,
): RevocationFollower | undefined {
  const { revocation } = resolved;
  if (!revocation || resolved.pinned) return undefined;
  return createRevocationFollower({
    authority: resolved.authority,
    algorithms: resolved.algorithms,
    getKey,
    fetch: resolved.fetch,
    timeout: resolved.timeoutMs,
    emit: resolved.emit,
    pollInterval: revocation.pollIntervalMs,
    maxStaleness: revocation.maxStalenessMs,
    feedUrl: async () => (await discover()).revocation_feed_endpoint,
  });
}
