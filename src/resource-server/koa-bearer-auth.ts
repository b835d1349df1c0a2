import type { AccessTokenClaims } from './access-token-claims.ts';
import { createBearerAuthenticator } from './bearer-authenticator.ts';
import type { Authenticated, AuthRequest, BearerAuthOptions } from './bearer-authenticator.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** The part of a Koa context the middleware uses (so the kit needs neither koa nor its types). */
export interface KoaBearerContext {
  get(field: string): string;
  readonly method: string;
  /** `http` or `https`, as Koa derives it (X-Forwarded-Proto only with `app.proxy`). */
  readonly protocol: string;
  /** The host with its port (X-Forwarded-Host only with `app.proxy`). */
  readonly host: string;
  /** The request target as received, before any router or mount rewrote `path`. */
  readonly originalUrl: string;
  readonly querystring: string;
  state: object;
  status: number;
  body: unknown;
  set(field: string, value: string): void;
  remove(field: string): void;
}

/** The Koa state after the middleware: type your app or router with it to read `ctx.state.auth`. */
export interface BearerAuthState {
  auth: AccessTokenClaims;
}

function requestOf(ctx: KoaBearerContext): AuthRequest {
  const url = ctx.originalUrl;
  const query = url.indexOf('?');
  return {
    authorization: ctx.get('authorization') || undefined,
    querystring: ctx.querystring,
    method: ctx.method,
    dpop: ctx.get('dpop') || undefined,
    path: query === -1 ? url : url.slice(0, query),
    origin: () => `${ctx.protocol}://${ctx.host}`,
  };
}

/**
 * Koa middleware that lets a request through only with a valid access token granting `scope` —
 * a bearer token, or a DPoP-bound token with its proof (RFC 9449) — and puts its claims on
 * `ctx.state.auth`. Refusals are answered here (401, 403, 400 or 503, see `bearerResponse`);
 * errors of later middleware pass through untouched.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ authority: 'https://id.example.com' });
 * router.get('/orders', koaBearerAuth({ verifier, scope: 'api:read', logger }), (ctx) => {
 *   ctx.body = listOrders(ctx.state.auth.sub);
 * });
 * ```
 */
export function koaBearerAuth(options: BearerAuthOptions): (ctx: KoaBearerContext, next: () => Promise<unknown>) => Promise<void> {
  const bearer = createBearerAuthenticator(options);
  return async (ctx, next) => {
    const request = requestOf(ctx);
    let authenticated: Authenticated;
    try {
      authenticated = await bearer.authenticate(request);
    } catch (err) {
      if (!(err instanceof TokenRejectedError)) throw err;
      const { status, headers, body } = bearer.refuse(err, request);
      ctx.status = status;
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
      ctx.body = body ?? '';
      if (body === undefined) ctx.remove('Content-Type');
      return;
    }
    for (const [name, value] of Object.entries(authenticated.headers)) ctx.set(name, value);
    (ctx.state as Partial<BearerAuthState>).auth = authenticated.claims;
    await next();
  };
}
