import type { Context } from 'koa';

import type { KeySet } from '../keys/load-keys.ts';
import { ADMIN_AUDIENCE } from '../provider/admin-audience.ts';
import type { AdminScope } from '../provider/admin-audience.ts';
import { createOwnJwtVerifier } from '../token-exchange/verify-own-jwt.ts';
import type { OwnJwtVerifier } from '../token-exchange/verify-own-jwt.ts';
import { AdminProblem } from './problem.ts';

/** Who called: the client_id of the admin token. */
export interface AdminCaller {
  readonly clientId: string;
}

/** Checks the bearer token of a request for an area's scope; throws a 401 or 403 problem. */
export type AdminAuth = (ctx: Context, scope: AdminScope) => AdminCaller;

const REALM = `Bearer realm="${ADMIN_AUDIENCE}"`;

/**
 * Admin tokens are Tessera's own JWT access tokens (RFC 9068) for the `tessera-admin` audience,
 * verified offline with Tessera's own verifier against the keys in use now.
 */
export function createAdminAuth({ issuer, keys, algorithms }: { issuer: string; keys: () => KeySet; algorithms: readonly string[] }): AdminAuth {
  const verifiers = new WeakMap<KeySet, OwnJwtVerifier>();
  const verifierFor = (set: KeySet): OwnJwtVerifier => {
    let verify = verifiers.get(set);
    if (!verify) {
      verify = createOwnJwtVerifier(set.jwks, { issuer, typ: 'at+jwt', algorithms, requiredClaims: ['exp', 'aud', 'client_id'], clockTolerance: 5 });
      verifiers.set(set, verify);
    }
    return verify;
  };
  return (ctx, scope) => {
    const header = ctx.get('authorization');
    const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(header);
    if (!header) throw new AdminProblem(401, `a bearer access token for ${ADMIN_AUDIENCE} is required`, { headers: { 'WWW-Authenticate': REALM } });
    const invalid = (why: string) => new AdminProblem(401, why, { headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` } });
    if (!match) throw invalid('the Authorization header must be a Bearer token');
    let claims: Record<string, unknown>;
    try {
      claims = verifierFor(keys())(match[1]!, Math.floor(Date.now() / 1000));
    } catch {
      throw invalid('the access token is invalid or expired');
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(ADMIN_AUDIENCE)) throw invalid(`the access token is not for ${ADMIN_AUDIENCE}`);
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(scope)) {
      throw new AdminProblem(403, `the access token lacks the scope ${scope}`, {
        headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
      });
    }
    return { clientId: String(claims.client_id) };
  };
}
