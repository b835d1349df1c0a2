import { pino } from 'pino';
import type { DestinationStream } from 'pino';

import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';

/** Where `stdout` and `stderr` of AUDIT_LOG lead; stderr defaults to the process's own. */
export interface AuditStreams {
  readonly stdout: DestinationStream;
  readonly stderr?: DestinationStream | undefined;
}

/**
 * The logger audit events go to, as AUDIT_LOG says: `stdout` (with the access log: pass the
 * log's own destination), `stderr`, or a file (appended to, created if missing with mode 0600,
 * written synchronously so that an event is on disk when the request that caused it is answered).
 * Audit events are written whatever LOG_LEVEL says: the audit logger is at `info`.
 */
export function auditLogger(setting: string, streams: AuditStreams): Logger {
  if (setting === 'stdout') return createLogger('info', streams.stdout);
  if (setting === 'stderr') return createLogger('info', streams.stderr ?? pino.destination({ dest: 2, sync: true }));
  return createLogger('info', pino.destination({ dest: setting, append: true, sync: true, mode: 0o600 }));
}
