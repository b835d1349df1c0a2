import { WARNING_EVENTS } from './audit-catalogue.ts';
import type { AuditEvent } from './audit-catalogue.ts';
import { scrubAuditFields } from './audit-scrub.ts';
import type { Logger } from './logger.ts';

/** Writes one audit event (see AuditCatalogue). */
export type Audit = (event: AuditEvent) => void;

/**
 * The one writer of audit events: each becomes one JSON line on `logger` with `audit: true`,
 * its name in `event`, then actor, target, outcome and requestId, then its own fields, scrubbed
 * of anything named or shaped as a secret (see scrubAuditFields); failures and refusals are
 * warnings, the rest info. Pass the logger of the audit stream (see auditLogger).
 *
 * @example
 * ```ts
 * const audit = createAudit(auditLogger(config.auditLog, logger));
 * audit({ event: 'consent.denied', actor: 'user:1b2c', target: 'client:webapp', outcome: 'denied', requestId });
 * ```
 */
export function createAudit(logger: Logger): Audit {
  return (event) => {
    const { event: name, actor, target, outcome, requestId, ...rest } = event;
    const { fields, removed } = scrubAuditFields(rest);
    const line: Record<string, unknown> = { event: name, audit: true, actor, target, outcome, requestId, ...fields };
    if (removed.length) line.scrubbed = removed;
    const message = `${name} ${actor} → ${target}: ${outcome}`;
    if (WARNING_EVENTS.has(name)) logger.warn(line, message);
    else logger.info(line, message);
  };
}
