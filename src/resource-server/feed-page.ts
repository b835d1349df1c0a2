import type { FeedEntry } from './revocation-list.ts';

/** One verified page of Tessera's revocation feed. */
export interface FeedPage {
  readonly iat: number;
  readonly epoch: string;
  readonly since: number;
  readonly cursor: number;
  readonly more: boolean;
  readonly entries: readonly FeedEntry[];
}

const CLAIMS = new Set(['jti', 'grant_ref', 'sub', 'client_id']);

function isEntry(value: unknown): value is FeedEntry {
  if (!value || typeof value !== 'object') return false;
  const { claim, value: v, exp, iat_max: iatMax } = value as Record<string, unknown>;
  return (
    typeof claim === 'string' && CLAIMS.has(claim) && typeof v === 'string' && typeof exp === 'number' && (iatMax === undefined || typeof iatMax === 'number')
  );
}

/**
 * The claims of a feed page, checked: the page must answer the cursor asked (`since`), so a
 * page for a later cursor cannot stand in for it and hide entries; every entry must be well formed.
 * Throws an Error saying what is wrong.
 *
 * @example
 * ```ts
 * const page = readFeedPage(payload, 0);
 * ```
 */
export function readFeedPage(payload: Readonly<Record<string, unknown>>, since: number): FeedPage {
  const { iat, epoch, cursor, more, entries } = payload;
  if (payload.since !== since) throw new Error(`the feed answered since=${String(payload.since)} to since=${since}`);
  if (
    typeof iat !== 'number' ||
    typeof epoch !== 'string' ||
    typeof cursor !== 'number' ||
    typeof more !== 'boolean' ||
    !Array.isArray(entries) ||
    !entries.every(isEntry)
  ) {
    throw new Error('the feed page is malformed');
  }
  return { iat, epoch, since, cursor, more, entries };
}
