import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Context } from 'koa';

import { cellCounter, memo2 } from './counter-cells.ts';
import type { CounterCell } from './counter-cells.ts';

/** Seconds; the token endpoint answers in about a millisecond, so the buckets start below it. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the request edge reports of every finished request. */
export interface HttpMetrics {
  /** Counts a finished request under its route's name and status, and its latency since `startedAt` (performance.now()). */
  observe(ctx: Context, startedAt: number): void;
}

interface RoutedContext {
  readonly oidc?: { readonly route?: string };
  readonly state: { routeName?: string };
}

/**
 * The route label: the engine's name of the endpoint (`token`, `authorization`, `discovery`, …),
 * else the name of Tessera's own route (`healthz`, `jwks`, `interaction`, …, set by
 * src/http/path-routes.ts), else `other` — never the raw path, which a client chooses.
 */
function routeName(ctx: RoutedContext): string {
  return ctx.oidc?.route ?? ctx.state.routeName ?? 'other';
}

/** `tessera_http_requests_total{route,status}` and `tessera_http_request_duration_seconds{route}`. */
export function httpMetrics(registry: Registry): HttpMetrics {
  const requests = cellCounter(registry, 'tessera_http_requests_total', 'HTTP requests answered, by route name and status code.', ['route', 'status']);
  const duration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: "Time from a request's arrival to its answer, by route name.",
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const count = memo2<string, number, CounterCell>((route, status) => requests.cell(route, String(status)));
  const latency = new Map<string, Histogram.Internal<string>>();
  return {
    observe(ctx, startedAt) {
      const route = routeName(ctx as unknown as RoutedContext);
      count(route, ctx.status).pending++;
      let child = latency.get(route);
      if (!child) {
        child = duration.labels(route);
        latency.set(route, child);
      }
      child.observe((performance.now() - startedAt) / 1000);
    },
  };
}
