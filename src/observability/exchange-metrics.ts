import type { Registry } from 'prom-client';

import { cellCounter } from './counter-cells.ts';

/** What the token-exchange audit reports. */
export interface ExchangeMetrics {
  exchanged(outcome: 'issued' | 'refused'): void;
}

/** `tessera_token_exchanges_total{outcome}` (RFC 8693); the refusals' error codes are in `tessera_token_errors_total`. */
export function exchangeMetrics(registry: Registry): ExchangeMetrics {
  const counter = cellCounter(registry, 'tessera_token_exchanges_total', 'Token exchanges (RFC 8693), by outcome (issued, refused).', ['outcome']);
  const cells = { issued: counter.cell('issued'), refused: counter.cell('refused') };
  return {
    exchanged: (outcome) => {
      cells[outcome].pending++;
    },
  };
}
