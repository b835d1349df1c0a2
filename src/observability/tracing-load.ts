import type { Cluster, Redis } from 'ioredis';
import type { Middleware } from 'koa';

import type { TracingTarget } from '../config/load-config.ts';
import type { Logger } from './logger.ts';
import type { Tracing } from './tracing.ts';

/** Tracing as the composition root wires it: steps, the request spans, the Redis hook, and the final flush. */
export interface TracingRuntime {
  readonly tracing: Tracing;
  /** The server span of each request; `paths` are Tessera's own routes, the bounded names of non-engine requests. */
  readonly requestSpans: (paths: readonly string[]) => Middleware;
  /** Adds a client span per Redis command sent within a traced request. */
  readonly traceRedis: (redis: Redis | Cluster) => void;
  /** Sends the spans still buffered, then stops. */
  readonly shutdown: () => Promise<void>;
}

/**
 * Loads the OpenTelemetry SDK when `target` is set (OTEL_TRACES_EXPORTER / OTLP endpoint), and
 * nothing of it otherwise: the SDK modules are imported here, on demand, never statically.
 */
export async function loadTracing(target: TracingTarget | undefined, logger: Logger): Promise<TracingRuntime | undefined> {
  if (!target) return undefined;
  const { startTracing } = await import('./tracing-start.ts');
  const runtime = startTracing(target);
  logger.info(
    { event: 'tracing.started', endpoint: target.endpoint, serviceName: target.serviceName },
    `OpenTelemetry tracing on: spans go to ${target.endpoint}`,
  );
  return runtime;
}
