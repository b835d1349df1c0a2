import type { ExchangeMetrics } from '../observability/exchange-metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { ActClaim } from './presented-token.ts';

/** What an exchange did, for the audit log: parties, target and scope, never a token value. */
export interface ExchangeAudit {
  readonly requestId: string | undefined;
  readonly client_id: string;
  readonly outcome: 'issued' | 'refused';
  readonly sub?: string | undefined;
  readonly act?: ActClaim | undefined;
  readonly audience?: string | undefined;
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
  readonly expires_in?: number | undefined;
  readonly error?: string | undefined;
  readonly error_description?: string | undefined;
}

/** Logs one exchange as a `token.exchanged` (info) or `token.exchange_refused` (warn) event, and counts it. */
export function auditExchange(logger: Logger, audit: ExchangeAudit, metrics?: ExchangeMetrics): void {
  const { outcome, ...fields } = audit;
  metrics?.exchanged(outcome);
  if (outcome === 'issued') logger.info({ event: 'token.exchanged', ...fields }, 'token exchanged');
  else logger.warn({ event: 'token.exchange_refused', ...fields }, 'token exchange refused');
}
