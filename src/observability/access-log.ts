import type { Socket } from 'node:net';

import type { Context } from 'koa';

import type { Logger } from './logger.ts';

/** Paths that stay out of the access log (health checks). */
export const QUIET_PATHS = new Set(['/healthz', '/readyz']);
const PEER = Symbol('tessera.peer');

/** The client address: X-Forwarded-For when the proxy is trusted, else the peer, looked up once per connection. */
function clientIp(ctx: Context): string | undefined {
  if (ctx.app.proxy) return ctx.ip;
  const socket = ctx.req.socket as Socket & { [PEER]?: string | undefined };
  if (!(PEER in socket)) socket[PEER] = socket.remoteAddress;
  return socket[PEER];
}

/**
 * Writes the access log line of a finished request: method, path (never the query string,
 * which can carry codes and tokens), status, duration and request id.
 */
export function logRequest(logger: Logger, ctx: Context, startedAt: number): void {
  logger.info({
    event: 'http.request', requestId: ctx.state.requestId, method: ctx.method, path: ctx.path,
    status: ctx.status, ms: Math.round((performance.now() - startedAt) * 10) / 10, ip: clientIp(ctx),
  }, 'request');
}
