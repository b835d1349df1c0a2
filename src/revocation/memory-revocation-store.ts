import { randomUUID } from 'node:crypto';

import { covers, mergeEntries, REVOKED_CLAIMS } from './revocation-entry.ts';
import type { RevocationEntry } from './revocation-entry.ts';
import { systemClock } from './revocation-store.ts';
import type { Clock, RevocationStore } from './revocation-store.ts';

/**
 * The revocation store of one process (development memory mode): the contract of
 * {@link RevocationStore}, with nothing shared between instances or kept across restarts.
 */
export function createMemoryRevocationStore({ clock = systemClock }: { clock?: Clock } = {}): RevocationStore {
  // Insertion order is log order: a changed entry is deleted and set again, so it moves to the end.
  const log = new Map<string, { entry: RevocationEntry; seq: number }>();
  const epoch = randomUUID();
  let seq = 0;

  const purge = (now: number): void => {
    for (const [member, { entry }] of log) if (entry.exp < now) log.delete(member);
  };
  const member = (claim: string, value: string): string => `${claim} ${value}`;

  return {
    async add(entries) {
      purge(clock());
      for (const entry of entries) {
        const key = member(entry.claim, entry.value);
        const known = log.get(key);
        log.delete(key);
        log.set(key, { entry: known ? mergeEntries(known.entry, entry) : { ...entry }, seq: ++seq });
      }
    },
    async read(since, limit) {
      const now = clock();
      const entries: RevocationEntry[] = [];
      let cursor = seq;
      for (const { entry, seq: at } of log.values()) {
        if (at <= since || entry.exp < now) continue;
        if (entries.length === limit) return { epoch, since, cursor, more: true, entries };
        entries.push(entry);
        cursor = at;
      }
      return { epoch, since, cursor: seq, more: false, entries };
    },
    async isRevoked(claims) {
      const now = clock();
      return REVOKED_CLAIMS.some((claim) => {
        const value = claims[claim];
        const found = typeof value === 'string' ? log.get(member(claim, value))?.entry : undefined;
        return found !== undefined && found.exp >= now && covers(found, claims);
      });
    },
  };
}
