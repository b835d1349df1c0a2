import type { Middleware } from 'koa';

import type { Logger } from './logger.ts';

const QUIET_PATHS = new Set(['/healthz', '/readyz']);

/**
 * One structured line per request: method, path (never the query string, which can carry
 * codes and tokens), status, duration and request id. Health checks stay out of the log.
 */
export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    if (QUIET_PATHS.has(ctx.path)) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info({
        event: 'http.request', requestId: ctx.state.requestId, method: ctx.method, path: ctx.path,
        status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10, ip: ctx.ip,
      }, 'request');
    }
  };
}
