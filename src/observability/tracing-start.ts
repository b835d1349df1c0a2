import * as api from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

import type { TracingTarget } from '../config/load-config.ts';
import { apiTracing } from './tracing-api.ts';
import type { TracingRuntime } from './tracing-load.ts';
import { requestSpans } from './tracing-http.ts';
import { traceRedisCommands } from './tracing-redis.ts';

/**
 * The OpenTelemetry SDK, sending spans in batches over OTLP/HTTP (JSON) to `target.endpoint`.
 * It is registered as the process's OpenTelemetry provider, with the async-hooks context manager
 * and the W3C trace-context propagator, so code in the same process that uses only
 * `@opentelemetry/api` (the resource-server kit's token exchange) joins the active trace.
 * Only loaded, by {@link loadTracing}, when tracing is configured.
 */
export function startTracing(target: TracingTarget): TracingRuntime {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: target.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: target.endpoint }))],
  });
  provider.register();
  const handles = { api, tracer: provider.getTracer('tessera') };
  return {
    tracing: apiTracing(handles),
    requestSpans: (paths) => requestSpans(handles, paths),
    traceRedis: (redis) => traceRedisCommands(redis, handles),
    shutdown: () => provider.shutdown(),
  };
}
