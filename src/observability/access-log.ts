import type { Socket } from 'node:net';

import type { Context } from 'koa';

import { SERVICE } from './logger.ts';
import { destinationOf } from './pino-stream.ts';
import type { Logger } from './logger.ts';

/** Paths that stay out of the access log (health checks). */
export const QUIET_PATHS = new Set(['/healthz', '/readyz']);
const PEER = Symbol('tessera.peer');
const SERVICE_FIELD = `"service":${JSON.stringify(SERVICE)}`;

/** The client address: X-Forwarded-For when the proxy is trusted, else the peer, looked up once per connection. */
function clientIp(ctx: Context): string | undefined {
  if (ctx.app.proxy) return ctx.ip;
  // A destroyed request has no socket left; its line is still written, without the address.
  const socket = ctx.req.socket as (Socket & { [PEER]?: string | undefined }) | null;
  if (!socket) return undefined;
  if (!(PEER in socket)) socket[PEER] = socket.remoteAddress;
  return socket[PEER];
}

/**
 * Writes the access log line of a finished request: method, path (never the query string,
 * which can carry codes and tokens), status, duration, request id and client address.
 *
 * The line has the shape of the logger's own lines, but is composed here and handed straight
 * to the logger's destination: its fields are fixed and hold no secret, so it needs neither
 * redaction nor generic serialization, which would cost the token endpoint more than the
 * line's worth.
 */
export function logRequest(logger: Logger, ctx: Context, startedAt: number): void {
  if (!logger.isLevelEnabled('info')) return;
  const ms = Math.round((performance.now() - startedAt) * 10) / 10;
  const ip = clientIp(ctx);
  destinationOf(logger).write(`{"level":"info","time":"${new Date().toISOString()}",${SERVICE_FIELD},"event":"http.request",`
    + `"requestId":${JSON.stringify(ctx.state.requestId)},"method":${JSON.stringify(ctx.method)},"path":${JSON.stringify(ctx.path)},`
    + `"status":${ctx.status},"ms":${ms}${ip === undefined ? '' : `,"ip":${JSON.stringify(ip)}`},"msg":"request"}\n`);
}
