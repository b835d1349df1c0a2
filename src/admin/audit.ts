import type { Logger } from '../observability/logger.ts';

/** One change made through the admin API. Never carries a secret or a password. */
export interface AuditEvent {
  /** client_id of the admin token. */
  readonly actor: string;
  /** e.g. `client.create`, `user.disable`. */
  readonly action: string;
  /** What was changed, e.g. `client:billing`. */
  readonly target: string;
  readonly outcome: 'success' | 'failure';
  /** The HTTP status answered. */
  readonly status: number;
}

/** Writes an audit event as one structured log line (`event: admin.audit`). */
export function audit(logger: Logger, requestId: unknown, event: AuditEvent): void {
  logger.info({ event: 'admin.audit', requestId, ...event }, `admin ${event.action} ${event.target}: ${event.outcome}`);
}
