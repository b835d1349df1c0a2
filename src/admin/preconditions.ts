import type { Context } from 'koa';

import { AdminProblem } from './problem.ts';

/** The ETag of a resource's revision (a strong validator). */
export const etag = (revision: string): string => `"${revision}"`;

/**
 * An update must name the revision it was made from: no `If-Match` is a 428, another revision
 * (someone changed it meanwhile) a 412, so that two operators never overwrite each other unseen.
 */
export function requireIfMatch(ctx: Context, revision: string): void {
  const given = ctx.get('if-match');
  if (!given) throw new AdminProblem(428, 'an If-Match header with the ETag of the resource is required');
  const tags = given.split(',').map((t) => t.trim());
  if (!tags.includes('*') && !tags.includes(etag(revision))) {
    throw new AdminProblem(412, 'the resource has changed since it was read (If-Match does not match its ETag)', { headers: { ETag: etag(revision) } });
  }
}
