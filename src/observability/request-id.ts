import { randomUUID } from 'node:crypto';

import type { Middleware } from 'koa';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,64}$/;

/** Takes a well-formed incoming X-Request-Id or makes one; exposes it on ctx.state and the response. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = ACCEPTABLE.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
