import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { TextMapPropagator, Tracer } from '@opentelemetry/api';

import type { SpanValue, Tracing } from './tracing.ts';

/** The OpenTelemetry API module, Tessera's tracer and its propagator, handed to the span helpers once tracing is loaded. */
export interface TracingApi {
  readonly api: typeof OpenTelemetryApi;
  readonly tracer: Tracer;
  /** W3C trace context: reads `traceparent`/`tracestate` of a request, writes them on its response. */
  readonly propagator: TextMapPropagator;
}

/** {@link Tracing} on an OpenTelemetry tracer: child spans of the active context, errors recorded. */
export function apiTracing({ api, tracer }: TracingApi): Tracing {
  const internal = { kind: api.SpanKind.INTERNAL };
  return {
    span(name, work, attributes?: Readonly<Record<string, SpanValue>>) {
      return tracer.startActiveSpan(name, attributes ? { ...internal, attributes } : internal, async (span) => {
        try {
          return await work(span);
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      });
    },
  };
}
