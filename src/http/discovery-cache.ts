import type { Middleware } from 'koa';

/**
 * Says how long the engine's discovery document may be cached: its URLs come from the issuer
 * alone (see issuer-origin.ts), so one copy is right for every client and every `Host`.
 */
export function discoveryCache(maxAge: number): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status === 200) ctx.set('Cache-Control', `public, max-age=${maxAge}`);
  };
}
