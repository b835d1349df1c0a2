import type { AccessTokenClaims } from './access-token-claims.ts';
import { bearerResponse } from './bearer-response.ts';
import type { BearerResponse } from './bearer-response.ts';
import type { Verifier } from './create-verifier.ts';
import { createDpopCheck, isDpopScheme } from './dpop-check.ts';
import type { DpopRequest } from './dpop-check.ts';
import { resolveDpopOptions } from './dpop-options.ts';
import type { DpopOptions } from './dpop-options.ts';
import { extractBearerToken } from './extract-bearer-token.ts';
import { toEventSink } from './kit-events.ts';
import type { KitLogger } from './kit-events.ts';
import { ResourceServerConfigError } from './resource-server-config-error.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** Options shared by the Koa and Express middleware. */
export interface BearerAuthOptions {
  readonly verifier: Verifier;
  /** Scope(s) the token must grant, all of them (a string is split on spaces). Default none. */
  readonly scope?: string | readonly string[];
  /** The `realm` of the challenge. Default the verifier's audience. */
  readonly realm?: string;
  /** Accept the token in the `access_token` query parameter (RFC 6750 §2.3). Default false. */
  readonly allowQueryToken?: boolean;
  /** DPoP (RFC 9449): always checked for DPoP-bound tokens; these options tune it. */
  readonly dpop?: DpopOptions;
  /** Receives a `token.rejected` event, with the reason, for every refused request. */
  readonly logger?: KitLogger;
}

/** A request as the authenticator reads it, whatever the framework. */
export interface AuthRequest extends DpopRequest {
  readonly authorization: string | undefined;
  readonly querystring: string;
}

/** A request that passed: the token's claims and the headers its response must carry. */
export interface Authenticated {
  readonly claims: AccessTokenClaims;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a middleware does with a request, independent of the framework. */
export interface BearerAuthenticator {
  /** The verified claims; throws a {@link TokenRejectedError}. */
  authenticate(request: AuthRequest): Promise<Authenticated>;
  /** Reports the refusal to the operator's logger and returns the client's response. */
  refuse(err: TokenRejectedError, request: AuthRequest): BearerResponse;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const REALM = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Bearer and DPoP authentication as both middlewares share it: the token from the request
 * (RFC 6750 §2, RFC 9449 §7.1), the verifier, the DPoP proof or the refusal of a bound token
 * sent as a bearer token, then the required scope. Options are checked here, once.
 *
 * @example
 * ```ts
 * const auth = createBearerAuthenticator({ verifier, scope: 'api:read' });
 * const { claims } = await auth.authenticate({ authorization, querystring: '', method: 'GET', dpop: undefined, path: '/orders', origin: () => 'https://api.example.com' });
 * ```
 */
export function createBearerAuthenticator(options: BearerAuthOptions): BearerAuthenticator {
  const { verifier, allowQueryToken = false } = options;
  const required = typeof options.scope === 'string' ? options.scope.split(' ').filter(Boolean) : [...(options.scope ?? [])];
  const realm = String(options.realm ?? verifier?.audience);
  const problems: string[] = [];
  if (typeof verifier?.verify !== 'function') problems.push('verifier: must be a verifier from createVerifier()');
  if (required.some((scope) => !SCOPE_TOKEN.test(scope))) problems.push('scope: scope tokens are printable ASCII without spaces, quotes or backslashes');
  if (!REALM.test(realm)) problems.push('realm: must be printable ASCII without quotes or backslashes');
  const dpop = createDpopCheck(resolveDpopOptions(options.dpop, problems));
  if (problems.length > 0) throw new ResourceServerConfigError(problems);
  const requiredScope = required.join(' ');
  const emit = toEventSink(options.logger);

  async function verify(request: AuthRequest): Promise<AccessTokenClaims> {
    const dpopToken = dpop.credentials(request.authorization);
    if (dpopToken === undefined) {
      const claims = await verifier.verify(extractBearerToken(request.authorization, request.querystring, allowQueryToken));
      if (dpop.required) throw new TokenRejectedError('dpop_required', 'a token came with the Bearer scheme where DPoP is required');
      dpop.checkBearer(claims);
      return claims;
    }
    if (request.querystring.includes('access_token') && new URLSearchParams(request.querystring).has('access_token')) {
      throw new TokenRejectedError('multiple_tokens', 'a token is in both the Authorization header and the query');
    }
    return dpop.verify(request, dpopToken, (token) => verifier.verify(token));
  }

  return {
    async authenticate(request) {
      const claims = await verify(request);
      const headers = isDpopScheme(request.authorization) ? dpop.headers() : NO_HEADERS;
      if (required.length === 0) return { claims, headers };
      const granted = new Set(claims.scope?.split(' '));
      if (required.every((scope) => granted.has(scope))) return { claims, headers };
      throw new TokenRejectedError('insufficient_scope', `the token grants "${claims.scope ?? ''}"; the resource requires "${requiredScope}"`, {
        scope: requiredScope,
      });
    },
    refuse(err, request) {
      const response = bearerResponse(err, realm, {
        algs: dpop.algs,
        required: dpop.required,
        attempted: isDpopScheme(request.authorization),
        headers: dpop.headers(),
      });
      emit({ event: 'token.rejected', reason: err.reason, status: response.status, detail: err.message });
      return response;
    },
  };
}
