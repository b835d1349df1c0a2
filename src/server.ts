import Koa from 'koa';
import type { Provider } from 'oidc-provider';

import type { Config } from './config/load-config.ts';
import { discoveryCache } from './http/discovery-cache.ts';
import { pinIssuerOrigin } from './http/issuer-origin.ts';
import { pathRoutes } from './http/path-routes.ts';
import type { PathRoute } from './http/path-routes.ts';
import { notFound } from './http/not-found.ts';
import { requestEdge } from './http/request-edge.ts';
import { jwksRoute } from './keys/jwks-route.ts';
import type { KeySet } from './keys/load-keys.ts';
import { healthRoutes } from './observability/health-routes.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import type { HttpMetrics } from './observability/http-metrics.ts';
import type { Logger } from './observability/logger.ts';
import type { Tracing } from './observability/tracing.ts';
import { engineMiddleware } from './provider/engine/engine-middleware.ts';

/**
 * Where the JWKS is served: the engine's `jwks_uri`, and the well-known path that libraries
 * look up when given only an issuer (get-jwks, and resource-server samples that skip discovery).
 */
const JWKS_PATHS = ['/jwks', '/.well-known/jwks.json'];

export interface ServerDeps {
  readonly config: Config;
  /** The engine in use now: it is rebuilt when the signing keys change, and requests go to the newest. */
  readonly provider: () => Provider;
  /** The keys in use now, published at /jwks and /.well-known/jwks.json. */
  readonly keys: () => KeySet;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** Fields added to the /readyz body (the shared-configuration fingerprint). */
  readonly readyInfo?: () => Record<string, unknown>;
  /**
   * Routes served beside the engine (interactions, pages): by path — one dispatch for all of
   * them — or, for a middleware that checks the path itself, as its own layer.
   */
  readonly routes?: readonly (PathRoute | Koa.Middleware)[];
  /** Renders the page a browser gets for an address that nothing serves. */
  readonly notFoundPage?: (ctx: Koa.Context) => void;
  /** Spans of Tessera's steps; the engine's work runs in one. Default: none. */
  readonly tracing?: Tracing;
  /** Counts every request by route and status, with its latency; absent when metrics are off. */
  readonly metrics?: HttpMetrics | undefined;
  /** The server span of each request, given the paths Tessera serves itself (tracing on). */
  readonly requestSpans?: (paths: readonly string[]) => Koa.Middleware;
}

/** The Koa application: the request edge, health, JWKS and Tessera's own routes, then the engine. */
export function createServer({
  config,
  provider,
  keys,
  logger,
  readiness,
  readyInfo,
  routes = [],
  notFoundPage,
  tracing,
  requestSpans,
  metrics,
}: ServerDeps): Koa {
  const app = new Koa();
  // The proxy is trusted for the client address only; URLs always come from the issuer.
  app.proxy = config.trustProxy;
  pinIssuerOrigin(app, config.issuer);
  app.keys = [...config.cookieKeys];
  app.silent = true;
  app.on('error', (err: Error, ctx?: Koa.Context) => {
    logger.error({ event: 'http.error', requestId: ctx?.state.requestId, err: { name: err.name, message: err.message } }, 'response error');
  });

  const health = healthRoutes(readiness, readyInfo);
  const jwks = jwksRoute({ paths: JWKS_PATHS, maxAge: config.jwksMaxAge, jwks: () => keys().jwks });
  const served: PathRoute[] = [
    { path: '/healthz', handle: health },
    { path: '/readyz', handle: health },
    { path: '/.well-known/openid-configuration', handle: discoveryCache(config.discoveryMaxAge) },
    ...JWKS_PATHS.map((path) => ({ path, handle: jwks })),
    ...routes.filter((r) => typeof r !== 'function'),
  ];
  if (requestSpans) app.use(requestSpans(served.map((route) => route.path)));
  app.use(requestEdge({ logger, https: config.issuer.startsWith('https://'), metrics }));
  app.use(notFound(notFoundPage));
  app.use(pathRoutes(served));
  for (const route of routes) if (typeof route === 'function') app.use(route);
  // The engine is mounted at the root: its middleware runs on this app's context, without the
  // path rewriting a prefix mount needs.
  let mounted: { provider: Provider; handle: Koa.Middleware } | undefined;
  app.use((ctx, next) => {
    const current = provider();
    if (mounted?.provider !== current) mounted = { provider: current, handle: engineMiddleware(current) };
    const { handle } = mounted;
    if (!tracing) return handle(ctx, next);
    return tracing.span('oidc-provider', async (span) => {
      await handle(ctx, next);
      const route = (ctx as { oidc?: { route?: unknown } }).oidc?.route;
      if (typeof route === 'string') span.updateName(`oidc-provider ${route}`);
    });
  });
  return app;
}
