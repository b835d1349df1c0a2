import type { RevocableClaims, RevocationEntry } from './revocation-entry.ts';

/** A page of the revocation log: the live entries added or changed after cursor `since`. */
export interface RevocationPage {
  /** Changes when the log starts afresh (every entry expired, or a new store): a follower then starts over from 0. */
  readonly epoch: string;
  readonly since: number;
  /** The cursor to ask `since` next. */
  readonly cursor: number;
  /** More entries follow this page: ask again with `since` = `cursor` now. */
  readonly more: boolean;
  readonly entries: readonly RevocationEntry[];
}

/**
 * Where revocations live, shared by every instance. Contract (test/revocation/store-contract.ts):
 * - `add` writes all its entries or none; an entry added again for the same claim and value
 *   becomes one entry with the later `exp` and `iat_max`, and moves to the end of the log;
 * - an entry is kept until its `exp`, then forgotten (never returned, never matched);
 * - `read(since)` returns, in log order, the live entries whose last change is after `since`,
 *   at most `limit` of them; `cursor` only grows within one `epoch`;
 * - `isRevoked` answers whether some live entry covers the claims;
 * - a store that cannot reach its storage rejects; it never reports success for nothing.
 */
export interface RevocationStore {
  add(entries: readonly RevocationEntry[]): Promise<void>;
  read(since: number, limit: number): Promise<RevocationPage>;
  isRevoked(claims: RevocableClaims): Promise<boolean>;
}

/** The seconds-since-the-epoch clock of a store (tests move it). */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
