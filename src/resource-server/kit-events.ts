import type { RejectionReason } from './rejection-reasons.ts';

/** What the kit tells operators. Tokens never appear in an event; `detail` is for logs only. */
export type KitEvent =
  | { readonly event: 'token.rejected'; readonly reason: RejectionReason; readonly status: number; readonly detail: string }
  | { readonly event: 'jwks.fetched'; readonly uri: string; readonly keys: number }
  | { readonly event: 'jwks.fetch_failed'; readonly uri: string; readonly detail: string }
  | { readonly event: 'jwks.key_skipped'; readonly kid: string | undefined; readonly detail: string }
  | { readonly event: 'revocations.synced'; readonly uri: string; readonly entries: number; readonly held: number; readonly cursor: number }
  | { readonly event: 'revocations.fetch_failed'; readonly uri: string; readonly detail: string }
  | { readonly event: 'revocations.stale'; readonly uri: string; readonly failing_for: number }
  | { readonly event: 'revocations.recovered'; readonly uri: string }
  | { readonly event: 'revocations.unsupported'; readonly uri: string };

/** A function that receives every event. */
export type EventSink = (event: KitEvent) => void;

/** The part of a pino (or pino-like) logger the kit uses. */
export interface LoggerLike {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

/** Where events go: a function, a pino-like logger, or nowhere. */
export type KitLogger = EventSink | LoggerLike;

const WARNINGS = new Set<KitEvent['event']>([
  'jwks.fetch_failed',
  'jwks.key_skipped',
  'revocations.fetch_failed',
  'revocations.stale',
  'revocations.unsupported',
]);

/**
 * Turns the `logger` option into one event sink: a function is used as it is; a logger gets
 * `warn` for key-set and revocation-feed problems and `info` for everything else, with the event name as message.
 *
 * @example
 * ```ts
 * const emit = toEventSink(pino());
 * emit({ event: 'jwks.fetched', uri: 'https://id.example.com/jwks', keys: 2 });
 * ```
 */
export function toEventSink(logger?: KitLogger): EventSink {
  if (!logger) return () => {};
  if (typeof logger === 'function') return logger;
  return (event) => {
    if (WARNINGS.has(event.event)) logger.warn(event, event.event);
    else logger.info(event, event.event);
  };
}
