import type { KeySet } from './key-set.ts';

/** Where a verifier's keys come from: pinned (file or inline) or the issuer's JWKS. */
export interface KeySource {
  /** The keys, once loaded; never waits (a stale remote set may start a background refresh). */
  current(): KeySet | undefined;
  /** The keys, loading them on first use; throws `TokenRejectedError('jwks_unavailable')`. */
  load(): Promise<KeySet>;
  /** Fresh keys after an unknown `kid`, or undefined when no fetch is allowed now (pinned keys, cool-down). */
  refetch(): Promise<KeySet | undefined>;
}
