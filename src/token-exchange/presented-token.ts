/** The acting party of a delegated token (RFC 8693 §4.1), with the prior actors nested. */
export interface ActClaim {
  readonly sub: string;
  readonly act?: ActClaim;
}

/** A subject or actor token Tessera issued, once verified: the claims the exchange uses. */
export interface PresentedToken {
  readonly sub: string;
  readonly client_id: string;
  readonly scopes: readonly string[];
  readonly audiences: readonly string[];
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
  readonly jti: string;
  /** Issue time, in seconds since the epoch, when the token says. */
  readonly iat?: number | undefined;
  /** The grant the token belongs to (src/revocation/grant-ref.ts), when it belongs to one: an exchanged token inherits it. */
  readonly grant_ref?: string | undefined;
  readonly act?: ActClaim | undefined;
  /**
   * Who may act for the subject (RFC 8693 §4.4), as the token carries it: an object whose every
   * claim must match the actor's; anything else than an object is malformed.
   */
  readonly may_act?: unknown;
}
