import type { AccessTokenClaims } from './access-token-claims.ts';
import { bearerResponse } from './bearer-response.ts';
import type { BearerResponse } from './bearer-response.ts';
import type { Verifier } from './create-verifier.ts';
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
  /** Receives a `token.rejected` event, with the reason, for every refused request. */
  readonly logger?: KitLogger;
}

/** What a middleware does with a request, independent of the framework. */
export interface BearerAuthenticator {
  /** The verified claims; throws a {@link TokenRejectedError}. */
  authenticate(authorization: string | undefined, querystring: string): Promise<AccessTokenClaims>;
  /** Reports the refusal to the operator's logger and returns the client's response. */
  refuse(err: TokenRejectedError): BearerResponse;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const REALM = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * Bearer authentication as both middlewares share it: the token from the request (RFC 6750
 * §2), the verifier, then the required scope. Options are checked here, once.
 *
 * @example
 * ```ts
 * const bearer = createBearerAuthenticator({ verifier, scope: 'api:read' });
 * const claims = await bearer.authenticate(req.headers.authorization, '');
 * ```
 */
export function createBearerAuthenticator(options: BearerAuthOptions): BearerAuthenticator {
  const { verifier, allowQueryToken = false } = options;
  const required = typeof options.scope === 'string' ? options.scope.split(' ').filter(Boolean) : [...options.scope ?? []];
  const realm = String(options.realm ?? verifier?.audience);
  const problems: string[] = [];
  if (typeof verifier?.verify !== 'function') problems.push('verifier: must be a verifier from createVerifier()');
  if (required.some((scope) => !SCOPE_TOKEN.test(scope))) problems.push('scope: scope tokens are printable ASCII without spaces, quotes or backslashes');
  if (!REALM.test(realm)) problems.push('realm: must be printable ASCII without quotes or backslashes');
  if (problems.length > 0) throw new ResourceServerConfigError(problems);
  const requiredScope = required.join(' ');
  const emit = toEventSink(options.logger);

  return {
    async authenticate(authorization, querystring) {
      const claims = await verifier.verify(extractBearerToken(authorization, querystring, allowQueryToken));
      if (required.length === 0) return claims;
      const granted = new Set(claims.scope?.split(' '));
      if (required.every((scope) => granted.has(scope))) return claims;
      throw new TokenRejectedError('insufficient_scope', `the token grants "${claims.scope ?? ''}"; the resource requires "${requiredScope}"`,
        { scope: requiredScope });
    },
    refuse(err) {
      const response = bearerResponse(err, realm);
      emit({ event: 'token.rejected', reason: err.reason, status: response.status, detail: err.message });
      return response;
    },
  };
}
