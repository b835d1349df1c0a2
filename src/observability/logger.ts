import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach the log: credentials, tokens, codes, cookies. */
export const REDACTED_PATHS = [
  'headers.authorization', 'headers.cookie', 'headers["set-cookie"]', 'headers["dpop"]',
  '*.authorization', '*.cookie', '*.password', '*.client_secret', '*.access_token', '*.refresh_token',
  '*.id_token', '*.code', '*.code_verifier', '*.subject_token', '*.actor_token', '*.token', '*.assertion',
  'password', 'client_secret', 'access_token', 'refresh_token', 'id_token', 'code', 'token',
];

/** Structured JSON logger on stdout (or `destination`), with secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'tessera' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
}
