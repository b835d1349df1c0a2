import type { AccessTokenClaims } from './access-token-claims.ts';
import { createBearerAuthenticator } from './bearer-authenticator.ts';
import type { BearerAuthOptions } from './bearer-authenticator.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** The part of a Koa context the middleware uses (so the kit needs neither koa nor its types). */
export interface KoaBearerContext {
  get(field: string): string;
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

/**
 * Koa middleware that lets a request through only with a valid bearer access token granting
 * `scope`, and puts its claims on `ctx.state.auth`. Refusals are answered here (401, 403, 400 or
 * 503, see `bearerResponse`); errors of later middleware pass through untouched.
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
    let claims: AccessTokenClaims;
    try {
      claims = await bearer.authenticate(ctx.get('authorization'), ctx.querystring);
    } catch (err) {
      if (!(err instanceof TokenRejectedError)) throw err;
      const { status, headers, body } = bearer.refuse(err);
      ctx.status = status;
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
      ctx.body = body ?? '';
      if (body === undefined) ctx.remove('Content-Type');
      return;
    }
    (ctx.state as Partial<BearerAuthState>).auth = claims;
    await next();
  };
}
