import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';

import type { SpanValue, Tracing } from './tracing.ts';

/** The OpenTelemetry API module and Tessera's tracer, handed to the span helpers once tracing is loaded. */
export interface TracingApi {
  readonly api: typeof OpenTelemetryApi;
  readonly tracer: Tracer;
}

/** {@link Tracing} on an OpenTelemetry tracer: child spans of the active context, errors recorded. */
export function apiTracing({ api, tracer }: TracingApi): Tracing {
  return {
    span(name, work, attributes?: Readonly<Record<string, SpanValue>>) {
      return tracer.startActiveSpan(name, { kind: api.SpanKind.INTERNAL, ...(attributes ? { attributes } : {}) }, async (span) => {
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
