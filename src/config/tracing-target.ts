import type { TracingTarget } from './resolved-config.ts';
import type { ParsedConfig } from './schema.ts';

const DEFAULT_BASE = 'http://localhost:4318';

/**
 * Tracing from the standard OTEL_* variables: on with OTEL_TRACES_EXPORTER=otlp, or when it is
 * unset and an OTLP endpoint is; off with `none`. The traces URL is used as is; the base URL gets
 * `/v1/traces` appended, as the OpenTelemetry specification says.
 */
export function tracingTarget(parsed: ParsedConfig): TracingTarget | undefined {
  const exporter = parsed.otelTracesExporter ?? (parsed.otelExporterOtlpEndpoint || parsed.otelExporterOtlpTracesEndpoint ? 'otlp' : 'none');
  if (exporter === 'none') return undefined;
  const base = (parsed.otelExporterOtlpEndpoint ?? DEFAULT_BASE).replace(/\/+$/, '');
  return { endpoint: parsed.otelExporterOtlpTracesEndpoint ?? `${base}/v1/traces`, serviceName: parsed.otelServiceName };
}
