import type { Context } from 'koa';

import { AdminProblem } from './problem.ts';

/** The ETag of a resource's revision (a strong validator). */
export const etag = (revision: string): string => `"${revision}"`;

/** The 412 of a change made from another revision than the current one (named in its ETag header). */
export const preconditionFailed = (current: string): AdminProblem =>
  new AdminProblem(412, 'the resource has changed since it was read (If-Match does not match its ETag)', { headers: { ETag: etag(current) } });

/**
 * An update must name the revision it was made from: no `If-Match` is a 428, another revision
 * (someone changed it meanwhile) a 412, so that two operators never overwrite each other unseen.
 * Resolves the revision the change must still find when it is written (the compare of a
 * compare-and-set: the check here alone would let a change in between through).
 */
export function requireIfMatch(ctx: Context, revision: string): string {
  if (!ctx.get('if-match')) throw new AdminProblem(428, 'an If-Match header with the ETag of the resource is required');
  return checkIfMatch(ctx, revision)!;
}

/** For a change where If-Match is optional (a delete): `undefined` without one, else as {@link requireIfMatch}. */
export function checkIfMatch(ctx: Context, revision: string): string | undefined {
  const given = ctx.get('if-match');
  if (!given) return undefined;
  const tags = given.split(',').map((t) => t.trim());
  if (!tags.includes('*') && !tags.includes(etag(revision))) throw preconditionFailed(revision);
  return revision;
}
