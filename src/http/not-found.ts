import type { Context, Middleware } from 'koa';

/**
 * The last layer: a request that no route and not the engine answered gets Tessera's 404 —
 * its error page for a browser, its error body for everything else — instead of Koa's bare
 * "Not Found".
 */
export function notFound(page?: (ctx: Context) => void): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body != null || ctx.status !== 404) return;
    ctx.set('Cache-Control', 'no-store');
    if (page && ctx.accepts('json', 'html') === 'html') {
      page(ctx);
      ctx.status = 404;
      return;
    }
    ctx.status = 404;
    ctx.body = { error: 'not_found', error_description: 'there is no endpoint at this path for this method' };
  };
}
