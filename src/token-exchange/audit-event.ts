import type { ExchangeFields } from '../observability/audit-catalogue.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { ExchangeMetrics } from '../observability/exchange-metrics.ts';
import type { ActClaim } from './presented-token.ts';

/** What an exchange did, for the audit log: parties, target and scope, never a token value. */
export interface ExchangeAudit extends ExchangeFields {
  readonly requestId: string | undefined;
  readonly outcome: 'issued' | 'refused';
  readonly act?: ActClaim | undefined;
}

/** Audits one exchange as `token.exchanged` or `token.exchange_refused` (actor: the client; target: the audience asked for), and counts it. */
export function auditExchange(write: Audit, audit: ExchangeAudit, metrics?: ExchangeMetrics): void {
  const { outcome, requestId, ...fields } = audit;
  metrics?.exchanged(outcome);
  const actor = `client:${fields.client_id}` as const;
  const target = `audience:${fields.audience ?? fields.resource ?? 'default'}` as const;
  if (outcome === 'issued') write({ event: 'token.exchanged', outcome, actor, target, requestId, ...fields });
  else write({ event: 'token.exchange_refused', outcome, actor, target, requestId, ...fields });
}
