import type { Audit } from '../observability/audit-log.ts';

/** One change made through the admin API. Never carries a secret or a password. */
export interface AdminChange {
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

/** Audits one admin API change as `admin.audit`, its actor the admin token's client. */
export function auditAdminChange(audit: Audit, requestId: string | undefined, { actor, ...change }: AdminChange): void {
  audit({ event: 'admin.audit', actor: `client:${actor}`, requestId, ...change });
}
