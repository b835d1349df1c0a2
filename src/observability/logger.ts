import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

import { batchedDestination } from './log-destination.ts';

export type { Logger } from 'pino';

/** The `service` field of every log line. */
export const SERVICE = 'tessera';

const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'client_secret', 'access_token', 'refresh_token', 'id_token',
  'code', 'code_verifier', 'subject_token', 'actor_token', 'token', 'assertion', 'client_assertion'];

/**
 * Paths whose values never reach the log: credentials, tokens, codes and cookies, at the top
 * level and inside `headers`, `body`, `params` and `req.headers`. Fixed paths (no wildcards)
 * keep redaction cheap on the request path.
 */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...['headers', 'body', 'params', 'req.headers'].flatMap((parent) => SECRET_FIELDS.map((field) => `${parent}.${field}`)),
  'headers["set-cookie"]', 'headers.dpop',
];

/**
 * Structured JSON logger with secrets redacted, one line per event on stdout in
 * batches (see {@link batchedDestination}); pass `destination` to write elsewhere.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: SERVICE },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, destination ?? batchedDestination());
}
