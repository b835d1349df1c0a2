import { UserStoreError } from './user-store-error.ts';

/** The revisions of a memory store's accounts: every change gives a new one. */
export interface MemoryRevisions {
  /** The current revision of an account. */
  of(id: string): string;
  /** Records a change of an account. */
  bump(id: string): void;
  /** Throws `revision_mismatch` unless `ifRevision` is absent or the current revision. */
  check(id: string, ifRevision: string | undefined): void;
}

/** Revisions kept beside a memory store's maps (a synchronous check then write is atomic in one process). */
export function createMemoryRevisions(): MemoryRevisions {
  const revisions = new Map<string, string>();
  let changes = 0;
  const of = (id: string): string => revisions.get(id) ?? '0';
  return {
    of,
    bump: (id) => {
      revisions.set(id, `m${++changes}`);
    },
    check(id, ifRevision) {
      if (ifRevision !== undefined && of(id) !== ifRevision) throw new UserStoreError('revision_mismatch', `account ${id} has changed since it was read`);
    },
  };
}
