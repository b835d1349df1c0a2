/**
 * Everything src/main.ts needs to turn metrics on, in one module that main imports only when
 * METRICS_PORT is set: with metrics off, neither prom-client nor what it loads (the
 * OpenTelemetry API) is loaded at all.
 */
export { fleetMetrics } from './fleet-metrics.ts';
export { keyMetrics } from './key-metrics.ts';
export { createMetrics } from './metrics-registry.ts';
export { startMetricsServer } from './metrics-route.ts';
