import Koa from 'koa';
import compose from 'koa-compose';
import type { Provider } from 'oidc-provider';

import type { Config } from './config/load-config.ts';
import { errorBoundary } from './http/error-boundary.ts';
import { securityHeaders } from './http/security-headers.ts';
import { jwksRoute } from './keys/jwks-route.ts';
import type { KeySet } from './keys/load-keys.ts';
import { accessLog } from './observability/access-log.ts';
import { healthRoutes } from './observability/health-routes.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import type { Logger } from './observability/logger.ts';
import { requestId } from './observability/request-id.ts';

export interface ServerDeps {
  readonly config: Config;
  readonly provider: Provider;
  readonly keys: () => KeySet;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** Seconds resource servers may cache the JWKS. */
  readonly jwksMaxAge?: number;
  /** Routes served beside the engine (interactions, demo pages), before it. */
  readonly routes?: readonly Koa.Middleware[];
}

/** The Koa application: request id, access log, security headers, health, JWKS, then the engine. */
export function createServer({ config, provider, keys, logger, readiness, jwksMaxAge = 300, routes = [] }: ServerDeps): Koa {
  const app = new Koa();
  app.proxy = config.trustProxy;
  app.keys = [...config.cookieKeys];
  app.silent = true;
  app.on('error', (err: Error, ctx?: Koa.Context) => {
    logger.error({ event: 'http.error', requestId: ctx?.state.requestId, err: { name: err.name, message: err.message } }, 'response error');
  });

  app.use(healthRoutes(readiness));
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(securityHeaders(config.issuer.startsWith('https://')));
  app.use(errorBoundary(logger));
  app.use(jwksRoute({ path: '/jwks', maxAge: jwksMaxAge, jwks: () => keys().jwks }));
  for (const route of routes) app.use(route);
  // The engine is mounted at the root: its middleware runs on this app's context, without the
  // path rewriting a prefix mount needs.
  app.use(compose(provider.middleware));
  return app;
}
