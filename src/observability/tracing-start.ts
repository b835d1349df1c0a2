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
 * Spans per export. Each export costs the same fixed work (an HTTP request, its response) besides
 * its spans: at the SDK's default of 512 an exported span cost 3.1–3.3 µs of CPU, at 2,048
 * 2.1–2.4 µs (serialized and sent to a receiver on loopback); a batch of 2,048 is about 1 MB of
 * JSON and 5 ms of serializing.
 */
const EXPORT_BATCH = 2048;
/** Four batches: room for bursts while one export is in flight; spans beyond it are dropped. */
const QUEUED_SPANS = 4 * EXPORT_BATCH;

/**
 * The OpenTelemetry SDK, sending spans in batches over OTLP/HTTP (JSON) to `target.endpoint`
 * (the SDK's BatchSpanProcessor, up to {@link EXPORT_BATCH} spans per export, at most
 * {@link QUEUED_SPANS} waiting; a batch leaves when full or 5 s after its first span).
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
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: target.endpoint }), { maxExportBatchSize: EXPORT_BATCH, maxQueueSize: QUEUED_SPANS })],
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
