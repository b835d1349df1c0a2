import type { Socket } from 'node:net';

import type { Context, Middleware } from 'koa';

import type { Logger } from './logger.ts';

const QUIET_PATHS = new Set(['/healthz', '/readyz']);
const PEER = Symbol('tessera.peer');

/** The client address: X-Forwarded-For when the proxy is trusted, else the peer, looked up once per connection. */
function clientIp(ctx: Context): string | undefined {
  if (ctx.app.proxy) return ctx.ip;
  const socket = ctx.req.socket as Socket & { [PEER]?: string | undefined };
  if (!(PEER in socket)) socket[PEER] = socket.remoteAddress;
  return socket[PEER];
}

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
        status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10, ip: clientIp(ctx),
      }, 'request');
    }
  };
}
