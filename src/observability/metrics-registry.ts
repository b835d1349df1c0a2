import { collectDefaultMetrics, Registry } from 'prom-client';

import { exchangeMetrics } from './exchange-metrics.ts';
import type { ExchangeMetrics } from './exchange-metrics.ts';
import { httpMetrics } from './http-metrics.ts';
import type { HttpMetrics } from './http-metrics.ts';
import { redisMetrics } from './redis-metrics.ts';
import type { RedisMetrics } from './redis-metrics.ts';
import { signInMetrics } from './sign-in-metrics.ts';
import type { SignInMetrics } from './sign-in-metrics.ts';
import { tokenMetrics } from './token-metrics.ts';
import type { TokenMetrics } from './token-metrics.ts';

/** Tessera's instruments, one group per part that reports to it; src/main.ts hands each part its group. */
export interface Metrics {
  /** Everything a scrape returns (the gauges of keys and fleet are added to it once those exist). */
  readonly registry: Registry;
  readonly http: HttpMetrics;
  readonly tokens: TokenMetrics;
  readonly signIns: SignInMetrics;
  readonly exchanges: ExchangeMetrics;
  readonly redis: RedisMetrics;
}

/**
 * A registry of its own (never prom-client's global one) with the process metrics of
 * prom-client's defaults (`process_*`, `nodejs_*`) and Tessera's `tessera_*` instruments.
 * `audiences` bound the audience label of issued tokens.
 */
export function createMetrics({ audiences }: { audiences: readonly string[] }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    http: httpMetrics(registry),
    tokens: tokenMetrics(registry, audiences),
    signIns: signInMetrics(registry),
    exchanges: exchangeMetrics(registry),
    redis: redisMetrics(registry),
  };
}
