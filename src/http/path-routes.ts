import type { Middleware } from 'koa';

/** A route served beside the engine: the paths it owns, and its handler. */
export interface PathRoute {
  /** An exact path (`/jwks`) or, ending in `/`, a prefix (`/interaction/`). */
  readonly path: string;
  readonly handle: Middleware;
}

/**
 * Dispatches to Tessera's own routes by path in one middleware, so that a request for the
 * engine passes one cheap check instead of a layer per route.
 */
export function pathRoutes(routes: readonly PathRoute[]): Middleware {
  const exact = new Map(routes.filter((r) => !r.path.endsWith('/')).map((r) => [r.path, r.handle]));
  const prefixes = routes.filter((r) => r.path.endsWith('/'));
  return (ctx, next) => {
    const path = ctx.path;
    const handle = exact.get(path);
    if (handle) return handle(ctx, next);
    for (const route of prefixes) if (path.startsWith(route.path)) return route.handle(ctx, next);
    return next();
  };
}
