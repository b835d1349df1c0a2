import type { RejectionReason } from './rejection-reasons.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** A compact JWS split into its parts; nothing verified yet. */
export interface CompactJws {
  /** The JWS Signing Input: header and payload as sent, with the dot between them. */
  readonly signingInput: string;
  readonly encodedHeader: string;
  readonly encodedPayload: string;
  readonly encodedSignature: string;
}

/** Three base64url parts, nothing else: no padding, no whitespace, no JSON serialization. */
const COMPACT = /^(([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*))\.([A-Za-z0-9_-]*)$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The three parts of a compact JWS (RFC 7515 §7.1); throws `malformed` for anything else.
 *
 * @example
 * ```ts
 * const { encodedHeader, encodedPayload, encodedSignature } = splitCompactJws(token);
 * ```
 */
export function splitCompactJws(token: unknown): CompactJws {
  if (typeof token !== 'string') throw new TokenRejectedError('malformed', 'Compact JWS must be a string');
  const parts = COMPACT.exec(token);
  if (!parts) throw new TokenRejectedError('malformed', 'Invalid Compact JWS');
  return { signingInput: parts[1]!, encodedHeader: parts[2]!, encodedPayload: parts[3]!, encodedSignature: parts[4]! };
}

/**
 * A base64url part decoded as a JSON object (strict UTF-8, no array, no null), or a
 * {@link TokenRejectedError} with `reason` and `message`.
 *
 * @example
 * ```ts
 * const header = decodeJsonObject(encodedHeader, 'malformed', 'JWS Protected Header is invalid');
 * ```
 */
export function decodeJsonObject(part: string, reason: RejectionReason, message: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(Buffer.from(part, 'base64url')));
  } catch {
    throw new TokenRejectedError(reason, message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenRejectedError(reason, message);
  return value as Record<string, unknown>;
}
