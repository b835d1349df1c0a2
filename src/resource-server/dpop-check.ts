import type { AccessTokenClaims } from './access-token-claims.ts';
import { createHtuNormaliser } from './dpop-htu.ts';
import { createProofVerifier } from './dpop-proof.ts';
import type { ResolvedDpopOptions } from './dpop-options.ts';
import type { VerifiedProof } from './dpop-proof.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** The parts of a request the DPoP checks read. */
export interface DpopRequest {
  readonly method: string;
  /** The `DPoP` header (several are joined with commas, as Node joins them). */
  readonly dpop: string | undefined;
  /** The path the client called, without the query. */
  readonly path: string;
  /** The origin the client called (`https://api.example.com`), asked only when `dpop.origin` is not set. */
  origin(): string;
}

/** The DPoP side of bearer authentication: the one seam between the middleware and RFC 9449. */
export interface DpopCheck {
  readonly required: boolean;
  /** The `algs` of the DPoP challenge. */
  readonly algs: string;
  /** The access token of a `DPoP` Authorization header; undefined for any other scheme. Throws for a malformed one. */
  credentials(authorization: string | undefined): string | undefined;
  /**
   * Verifies a request with the `DPoP` scheme: the token (with `verifyToken`) and its proof side
   * by side, then the binding, the nonce and replay. A token error wins over a proof error.
   */
  verify(request: DpopRequest, token: string, verifyToken: (token: string) => Promise<AccessTokenClaims>): Promise<AccessTokenClaims>;
  /** Refuses a token sent with the `Bearer` scheme that is DPoP-bound (RFC 9449 §7.2). */
  checkBearer(claims: AccessTokenClaims): void;
  /** Headers every answer to a DPoP request carries (`DPoP-Nonce` when nonces are on). */
  headers(): Readonly<Record<string, string>>;
}

/** RFC 9449 §7.1: `DPoP` (any case), one or more spaces, one token68. */
const DPOP_CREDENTIALS = /^DPoP +([A-Za-z0-9\-._~+/]+=*)$/i;
const DPOP_SCHEME = /^DPoP(?:\s|$)/i;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** Whether an Authorization header uses the DPoP scheme. */
export function isDpopScheme(authorization: string | undefined): boolean {
  return authorization !== undefined && DPOP_SCHEME.test(authorization);
}

/**
 * The DPoP checks of one middleware, with their own replay memory (unless a shared store is
 * given) and proof-key cache.
 *
 * @example
 * ```ts
 * const dpop = createDpopCheck(resolveDpopOptions({ required: true }, problems));
 * ```
 */
export function createDpopCheck(options: ResolvedDpopOptions): DpopCheck {
  const { required, replayStore, nonces, maxAge, clockTolerance } = options;
  const verifyProof = createProofVerifier(options);
  const normalise = createHtuNormaliser();

  function checkProof(request: DpopRequest, token: string): VerifiedProof {
    const proof = request.dpop;
    if (proof === undefined || proof === '') throw new TokenRejectedError('dpop_proof_missing', 'the DPoP scheme came without a DPoP header');
    if (proof.includes(',')) throw new TokenRejectedError('dpop_proof_multiple', 'the request has more than one DPoP header');
    const htu = normalise(`${options.origin ?? request.origin()}${request.path}`);
    if (htu === undefined) throw new TokenRejectedError('dpop_htu_mismatch', 'the request URL cannot be determined');
    return verifyProof(proof, { method: request.method, htu, accessToken: token });
  }

  function boundKey(claims: AccessTokenClaims): string | undefined {
    const cnf = claims.cnf;
    return typeof cnf === 'object' && cnf !== null && typeof cnf.jkt === 'string' ? cnf.jkt : undefined;
  }

  return {
    required,
    algs: options.algorithms.join(' '),
    credentials(authorization) {
      if (!isDpopScheme(authorization)) return undefined;
      const token = DPOP_CREDENTIALS.exec(authorization!)?.[1];
      if (token === undefined)
        throw new TokenRejectedError('dpop_malformed_authorization', 'the Authorization header has the DPoP scheme but not exactly one token68');
      return token;
    },
    async verify(request, token, verifyToken) {
      // The token first: its error wins over the proof's, and a bad token costs no proof check.
      const claims = await verifyToken(token);
      const jkt = boundKey(claims);
      if (jkt === undefined) throw new TokenRejectedError('dpop_token_not_bound', 'a token without cnf.jkt came with the DPoP scheme');
      const { thumbprint, jti, iat, nonce } = checkProof(request, token);
      if (thumbprint !== jkt) throw new TokenRejectedError('dpop_key_mismatch', 'the proof key is not the one the token is bound to');
      if (nonces && nonce === undefined) throw new TokenRejectedError('dpop_nonce_missing', 'the proof has no nonce');
      if (nonces && !nonces.accepts(nonce!)) throw new TokenRejectedError('dpop_nonce_invalid', 'the proof nonce is not a current one');
      let unique: boolean;
      try {
        const answer = replayStore.unique(`${jkt}:${jti}`, Math.ceil(iat + maxAge + clockTolerance));
        unique = typeof answer === 'boolean' ? answer : await answer;
      } catch (err) {
        if (err instanceof TokenRejectedError) throw err;
        throw new TokenRejectedError('dpop_replay_store_unavailable', `the replay store failed: ${(err as Error).message}`, { cause: err });
      }
      if (!unique) throw new TokenRejectedError('dpop_replayed', 'the proof was used before');
      return claims;
    },
    checkBearer(claims) {
      if (boundKey(claims) !== undefined) throw new TokenRejectedError('dpop_bound_token_as_bearer', 'a DPoP-bound token came with the Bearer scheme');
    },
    headers: () => (nonces ? { 'DPoP-Nonce': nonces.current() } : NO_HEADERS),
  };
}
