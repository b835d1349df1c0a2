import { SUPPORTED_ALGORITHMS } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import { createDpopNonces } from './dpop-nonces.ts';
import type { DpopNonces } from './dpop-nonces.ts';
import { createMemoryReplayStore } from './dpop-replay-store.ts';
import type { DpopReplayStore } from './dpop-replay-store.ts';

/**
 * How the middleware checks DPoP (RFC 9449). DPoP is always understood: a token with
 * `cnf.jkt` is accepted only with the `DPoP` scheme and a valid proof, never as `Bearer`.
 * Durations are in seconds.
 */
export interface DpopOptions {
  /** Refuse the `Bearer` scheme: every token must be DPoP-bound and come with a proof. Default false. */
  readonly required?: boolean;
  /** JWS algorithms accepted for proofs, asymmetric only. Default `ES256`, `EdDSA`, `Ed25519` (what Tessera's token endpoint accepts). */
  readonly algorithms?: readonly string[];
  /** How long after its `iat` a proof is accepted. Default 60. */
  readonly maxAge?: number;
  /** Clock skew tolerated on a proof's `iat`, both ways. Default 10. */
  readonly clockTolerance?: number;
  /**
   * The origin clients call this resource server at (`https://api.example.com`), for the `htu`
   * check. Default: the request's, as the framework sees it (Koa `ctx.protocol` and `ctx.host`, Express
   * `req.protocol` and `req.host`), which trusts the `Host` header (and X-Forwarded-* where the
   * app trusts its proxy). Set it when the service is reachable under more than one name.
   */
  readonly origin?: string;
  /**
   * Where proof `jti`s are remembered until the proof is too old. Default: in this middleware's
   * memory, at most 100,000 proofs. Replicas behind one load balancer need a shared store to
   * refuse a proof replayed at another replica.
   */
  readonly replayStore?: DpopReplayStore;
  /**
   * Server nonces (RFC 9449 §9): a secret of at least 32 bytes, the same on every replica. When
   * set, every proof must carry a current nonce; refusals and successes carry the next one in
   * `DPoP-Nonce`. A nonce lasts `maxAge` to `2 × maxAge` seconds.
   */
  readonly nonceSecret?: string | Uint8Array;
}

/** The DPoP options after defaults and checks. */
export interface ResolvedDpopOptions {
  readonly required: boolean;
  readonly algorithms: readonly VerifyAlgorithm[];
  readonly maxAge: number;
  readonly clockTolerance: number;
  readonly origin: string | undefined;
  readonly replayStore: DpopReplayStore;
  readonly nonces: DpopNonces | undefined;
}

/** The algorithms oidc-provider accepts for proofs at Tessera's token endpoint by default. */
export const DEFAULT_DPOP_ALGORITHMS: readonly VerifyAlgorithm[] = ['ES256', 'EdDSA', 'Ed25519'];

function seconds(problems: string[], name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`dpop.${name}: must be a number of seconds ≥ 0`);
  return value;
}

function checkOrigin(problems: string[], origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const url = typeof origin === 'string' ? URL.parse(origin) : null;
  if (!url || url.origin === 'null' || url.href !== `${url.origin}/`) {
    problems.push('dpop.origin: must be an origin only, e.g. https://api.example.com');
    return undefined;
  }
  return url.origin;
}

/**
 * Applies the DPoP defaults, adding a sentence per bad option to `problems` (the caller throws
 * them all at once).
 *
 * @example
 * ```ts
 * const dpop = resolveDpopOptions({ required: true }, problems);
 * ```
 */
export function resolveDpopOptions(options: DpopOptions | undefined, problems: string[]): ResolvedDpopOptions {
  const given = options ?? {};
  const algorithms = given.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  const supported: readonly string[] = SUPPORTED_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((alg) => !supported.includes(alg))) {
    problems.push(`dpop.algorithms: use some of ${SUPPORTED_ALGORITHMS.join(', ')} (asymmetric only)`);
  }
  if (given.required !== undefined && typeof given.required !== 'boolean') problems.push('dpop.required: must be true or false');
  if (given.replayStore !== undefined && typeof given.replayStore?.unique !== 'function')
    problems.push('dpop.replayStore: must have a unique(key, expiresAt) method');
  const maxAge = seconds(problems, 'maxAge', given.maxAge, 60);
  if (maxAge === 0) problems.push('dpop.maxAge: must be more than 0');
  let nonces: DpopNonces | undefined;
  if (given.nonceSecret !== undefined) {
    const secret = typeof given.nonceSecret === 'string' ? Buffer.from(given.nonceSecret) : given.nonceSecret;
    if (!(secret instanceof Uint8Array) || secret.byteLength < 32) problems.push('dpop.nonceSecret: must be at least 32 bytes (the same on every replica)');
    else nonces = createDpopNonces(secret, Math.max(1, maxAge));
  }
  return {
    required: given.required === true,
    algorithms: algorithms as readonly VerifyAlgorithm[],
    maxAge,
    clockTolerance: seconds(problems, 'clockTolerance', given.clockTolerance, 10),
    origin: checkOrigin(problems, given.origin),
    replayStore: given.replayStore ?? createMemoryReplayStore(),
    nonces,
  };
}
