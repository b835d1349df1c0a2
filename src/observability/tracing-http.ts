import type { ServerResponse } from 'node:http';

import type { TextMapSetter } from '@opentelemetry/api';
import type { Middleware } from 'koa';

import type { TracingApi } from './tracing-api.ts';
import { routeNamer } from './tracing-route.ts';

const RESPONSE_HEADERS: TextMapSetter<ServerResponse> = { set: (res, name, value) => res.setHeader(name, value) };

/**
 * The server span of every request, named `METHOD route` with a bounded route name (see
 * {@link routeNamer}), its method and status. It continues the caller's W3C trace context
 * (`traceparent`/`tracestate`), and the response carries `traceparent` back so a caller can
 * find the trace. 5xx answers mark the span as an error; 4xx are the client's, not Tessera's.
 */
export function requestSpans({ api, tracer, propagator }: TracingApi, paths: readonly string[]): Middleware {
  const routeOf = routeNamer(paths);
  return async (ctx, next) => {
    const parent = propagator.extract(api.ROOT_CONTEXT, ctx.req.headers, api.defaultTextMapGetter);
    const span = tracer.startSpan(
      ctx.method,
      {
        kind: api.SpanKind.SERVER,
        attributes: { 'http.request.method': ctx.method, 'url.scheme': ctx.protocol },
      },
      parent,
    );
    const active = api.trace.setSpan(parent, span);
    propagator.inject(active, ctx.res, RESPONSE_HEADERS);
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
