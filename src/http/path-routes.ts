import type { Middleware } from 'koa';

/** A route served beside the engine: the paths it owns, and its handler. */
export interface PathRoute {
  /** An exact path (`/jwks`) or, ending in `/`, a prefix (`/interaction/`). */
  readonly path: string;
  readonly handle: Middleware;
}

/**
 * The name a route goes by in metrics (`ctx.state.routeName`): the first segment of its path
 * (after `.well-known/`), without an extension — `/jwks` and `/.well-known/jwks.json` are `jwks`,
 * `/interaction/` is `interaction`.
 */
function pathRouteName(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const segment = (segments[0] === '.well-known' ? segments[1] : segments[0]) ?? 'root';
  return segment.replace(/\..*$/, '') || 'root';
}

/**
 * Dispatches to Tessera's own routes by path in one middleware, so that a request for the
 * engine passes one cheap check instead of a layer per route.
 */
export function pathRoutes(routes: readonly PathRoute[]): Middleware {
  const named = routes.map((r) => ({ path: r.path, handle: r.handle, name: pathRouteName(r.path) }));
  const exact = new Map(named.filter((r) => !r.path.endsWith('/')).map((r) => [r.path, r]));
  const prefixes = named.filter((r) => r.path.endsWith('/'));
  return (ctx, next) => {
    const path = ctx.path;
    let route = exact.get(path);
    if (!route)
      for (const prefix of prefixes)
        if (path.startsWith(prefix.path)) {
          route = prefix;
          break;
        }
    if (!route) return next();
    ctx.state.routeName = route.name;
    return route.handle(ctx, next);
  };
}
