import type { Context } from 'koa';

import { AdminProblem } from './problem.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** A page request: after which id to start, and how many. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly limit: number;
}

/** Reads `cursor` (opaque, from the previous page's `next_cursor`) and `limit` (1-200, default 50). */
export function pageRequest(ctx: Context): PageRequest {
  const { cursor, limit } = ctx.query;
  const size = limit === undefined ? DEFAULT_LIMIT : Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIMIT) throw new AdminProblem(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if (cursor !== undefined && (typeof cursor !== 'string' || !/^[\w-]+$/.test(cursor))) throw new AdminProblem(400, 'cursor is not one this API returned');
  return { limit: size, ...(typeof cursor === 'string' ? { after: Buffer.from(cursor, 'base64url').toString('utf8') } : {}) };
}

/** The cursor that continues after `id`. */
export const cursorAfter = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** One page of sorted ids, and the cursor of the next page when there is one. */
export function pageOf(sortedIds: readonly string[], { after, limit }: PageRequest): { ids: string[]; next?: string } {
  const start = after === undefined ? 0 : sortedIds.findIndex((id) => id > after);
  const ids = start < 0 ? [] : sortedIds.slice(start, start + limit);
  const more = start >= 0 && start + limit < sortedIds.length;
  return { ids, ...(more ? { next: cursorAfter(ids.at(-1)!) } : {}) };
}

/** A list body of `items` by `id`: one page of them (`items`) and the `next_cursor` when another page follows. */
export function pageBody<T>(items: readonly T[], id: (item: T) => string, request: PageRequest): { items: T[]; next_cursor?: string } {
  const sorted = [...items].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  const page = pageOf(sorted.map(id), request);
  const chosen = new Set(page.ids);
  return { items: sorted.filter((item) => chosen.has(id(item))), ...(page.next ? { next_cursor: page.next } : {}) };
}
