import type { Middleware } from 'koa';

import { logRequest, QUIET_PATHS } from '../observability/access-log.ts';
import type { Logger } from '../observability/logger.ts';
import { requestIdFor } from '../observability/request-id.ts';
import { respondWithError } from './error-response.ts';
import { securityHeaders } from './security-headers.ts';

/**
 * What every request goes through, in one middleware (it sits on the hot path of the token
 * endpoint): a request id, the security headers, the error response for routes outside the
 * engine, and the access log line — health checks excepted.
 */
export function requestEdge({ logger, https }: { logger: Logger; https: boolean }): Middleware {
  const headers = securityHeaders(https);
  return async (ctx, next) => {
    const startedAt = performance.now();
    const id = requestIdFor(ctx.req.headers['x-request-id'] as string | undefined);
    ctx.state.requestId = id;
    const res = ctx.res;
    res.setHeader('X-Request-Id', id);
    for (const [name, value] of headers) res.setHeader(name, value);
    try {
      await next();
    } catch (err) {
      respondWithError(ctx, err, logger);
    } finally {
      if (!QUIET_PATHS.has(ctx.path)) logRequest(logger, ctx, startedAt);
    }
  };
}
