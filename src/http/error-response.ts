import type { Context } from 'koa';

import type { Logger } from '../observability/logger.ts';

interface HttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  message?: string;
  error_description?: string;
}

/**
 * The one place that turns an error outside the engine's routes into a response: an exposed
 * error keeps its status and OAuth code; anything else is a 500 `server_error` whose cause is
 * logged, never sent.
 */
export function respondWithError(ctx: Context, thrown: unknown, logger: Logger): void {
  const err = (thrown ?? {}) as HttpError;
  const status = err.status ?? err.statusCode ?? 500;
  ctx.set('Cache-Control', 'no-store');
  if (err.expose && (status < 500 || status === 503)) {
    ctx.status = status;
    ctx.body = { error: err.error ?? 'invalid_request', error_description: err.error_description ?? err.message ?? '' };
    return;
  }
  logger.error({ event: 'server_error', requestId: ctx.state.requestId, err: thrown }, 'unhandled error');
  ctx.status = 500;
  ctx.body = { error: 'server_error', error_description: 'internal server error' };
}
