import type { UserStore } from '../accounts/user-store.ts';
import type { AdminRoute } from './admin-router.ts';
import { cursorAfter, pageRequest } from './paginate.ts';

/**
 * `GET /users`: a page by username, from the store's sorted index; `q` keeps the users whose
 * username or email starts with it (any case). Neither reads more accounts than it returns.
 */
export function userListRoute(users: UserStore): AdminRoute {
  return {
    method: 'GET',
    path: '/users',
    scope: 'admin:users',
    async handle(ctx) {
      const { after, limit } = pageRequest(ctx);
      const q = typeof ctx.query.q === 'string' && ctx.query.q !== '' ? ctx.query.q.toLowerCase() : undefined;
      // One more than the page tells whether another follows.
      const found = q === undefined ? await users.page(after, limit + 1) : await users.search(q, after, limit + 1);
      const items = found.slice(0, limit);
      ctx.body = { items, ...(found.length > limit ? { next_cursor: cursorAfter(items.at(-1)!.username) } : {}) };
    },
  };
}
