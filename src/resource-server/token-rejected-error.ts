import { REJECTIONS } from './rejection-reasons.ts';
import type { RejectionReason } from './rejection-reasons.ts';

/**
 * A bearer token (or the request carrying it) was refused. `reason` and `message` are for
 * operators; `error`, `error_description` and `status` are what RFC 6750 lets a client see.
 * `cause` (a network error, say) never reaches a response.
 */
export class TokenRejectedError extends Error {
  readonly code = 'ERR_TOKEN_REJECTED';
  readonly reason: RejectionReason;
  readonly status: number;
  readonly expose = true;
  readonly error: string | undefined;
  readonly error_description: string | undefined;
  /** For `insufficient_scope`: the scope the resource requires, space-separated. */
  readonly scope: string | undefined;

  constructor(reason: RejectionReason, message: string, options: { cause?: unknown; scope?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenRejectedError';
    const rejection = REJECTIONS[reason];
    this.reason = reason;
    this.status = rejection.status;
    this.error = rejection.error;
    this.error_description = rejection.description;
    this.scope = options.scope;
  }
}
