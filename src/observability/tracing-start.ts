import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

import type { TracingTarget } from '../config/load-config.ts';
import { apiTracing } from './tracing-api.ts';
import { requestSpans } from './tracing-http.ts';
import { pooledIdGenerator } from './tracing-ids.ts';
import type { TracingRuntime } from './tracing-load.ts';
import { traceRedisCommands } from './tracing-redis.ts';

/**
 * The OpenTelemetry SDK, sending spans in batches over OTLP/HTTP (JSON) to `target.endpoint`
 * (the SDK's BatchSpanProcessor with its defaults: up to 512 spans per export, 2,048 queued).
 * It is registered as the process's OpenTelemetry provider, with the AsyncLocalStorage context
 * manager and the W3C trace-context propagator alone (no baggage), so code in the same process
 * that uses only `@opentelemetry/api` (the resource-server kit's token exchange) joins the
 * active trace.
 * Only loaded, by {@link loadTracing}, when tracing is configured.
 */
export function startTracing(target: TracingTarget): TracingRuntime {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: target.serviceName }),
    idGenerator: pooledIdGenerator(),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: target.endpoint }))],
  });
  const propagator = new W3CTraceContextPropagator();
  provider.register({ propagator });
  const handles = { api, tracer: provider.getTracer('tessera'), propagator };
  return {
    tracing: apiTracing(handles),
    requestSpans: (paths) => requestSpans(handles, paths),
    traceRedis: (redis) => traceRedisCommands(redis, handles),
    shutdown: () => provider.shutdown(),
  };
}
