import type { Middleware } from 'koa';

import type { TracingApi } from './tracing-api.ts';
import { routeNamer } from './tracing-route.ts';

/**
 * The server span of every request, named `METHOD route` with a bounded route name (see
 * {@link routeNamer}), its method and status. It continues the caller's W3C trace context
 * (`traceparent`/`tracestate`), and the response carries `traceparent` back so a caller can
 * find the trace. 5xx answers mark the span as an error; 4xx are the client's, not Tessera's.
 */
export function requestSpans({ api, tracer }: TracingApi, paths: readonly string[]): Middleware {
  const routeOf = routeNamer(paths);
  return async (ctx, next) => {
    const parent = api.propagation.extract(api.ROOT_CONTEXT, ctx.req.headers);
    const span = tracer.startSpan(ctx.method, {
      kind: api.SpanKind.SERVER,
      attributes: { 'http.request.method': ctx.method, 'url.scheme': ctx.protocol },
    }, parent);
    const active = api.trace.setSpan(parent, span);
    const carrier: Record<string, string> = {};
    api.propagation.inject(active, carrier);
    for (const [name, value] of Object.entries(carrier)) ctx.res.setHeader(name, value);
    try {
      await api.context.with(active, next);
    } finally {
      const route = routeOf(ctx);
      span.updateName(`${ctx.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': ctx.status });
      if (ctx.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end();
    }
  };
}
