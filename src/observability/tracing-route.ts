import type { Context } from 'koa';

/** The route of a request no engine route or Tessera path matched: raw paths never become names. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Names the route of a request from a bounded set: the engine's route name (`token`,
 * `authorization`, …) when the engine served it, else one of Tessera's own `paths` (a path
 * ending in `/` names everything under it, as `/interaction/*`), else {@link UNMATCHED_ROUTE}.
 */
export function routeNamer(paths: readonly string[]): (ctx: Context) => string {
  const exact = new Set(paths.filter((path) => !path.endsWith('/')));
  const prefixes = paths.filter((path) => path.endsWith('/'));
  return (ctx) => {
    const engine = (ctx as { oidc?: { route?: unknown } }).oidc?.route;
    if (typeof engine === 'string') return engine;
    if (typeof ctx.path !== 'string') return UNMATCHED_ROUTE;
    if (exact.has(ctx.path)) return ctx.path;
    const prefix = prefixes.find((p) => ctx.path.startsWith(p));
    return prefix ? `${prefix}*` : UNMATCHED_ROUTE;
  };
}
