import type { Middleware } from 'koa';

import { logRequest, QUIET_PATHS } from '../observability/access-log.ts';
import type { HttpMetrics } from '../observability/http-metrics.ts';
import type { Logger } from '../observability/logger.ts';
import { requestIdFor } from '../observability/request-id.ts';
import { drainRequest } from './drain-request.ts';
import { respondWithError } from './error-response.ts';
import { securityHeaders } from './security-headers.ts';

const MALFORMED_TARGET = { status: 400, expose: true, error: 'invalid_request', error_description: 'malformed request target' };

/**
 * What every request goes through, in one middleware (it sits on the hot path of the token
 * endpoint): a request id, the security headers, the error response for routes outside the
 * engine, the access log line — health checks excepted — and the request's metrics.
 */
export function requestEdge({ logger, https, metrics }: { logger: Logger; https: boolean; metrics?: HttpMetrics | undefined }): Middleware {
  const headers = securityHeaders(https);
  return async (ctx, next) => {
    const startedAt = performance.now();
    const id = requestIdFor(ctx.req.headers['x-request-id'] as string | undefined);
    ctx.state.requestId = id;
    const res = ctx.res;
    res.setHeader('X-Request-Id', id);
    for (const [name, value] of headers) res.setHeader(name, value);
    try {
      // A target such as `//x#@y` has no path to Node's URL parser; no route can take it.
      if (typeof ctx.path !== 'string') throw MALFORMED_TARGET;
      await next();
    } catch (err) {
      respondWithError(ctx, err, logger);
    } finally {
      if (!ctx.req.complete) await drainRequest(ctx.req);
      if (!QUIET_PATHS.has(ctx.path)) logRequest(logger, ctx, startedAt);
      metrics?.observe(ctx, startedAt);
    }
  };
}
