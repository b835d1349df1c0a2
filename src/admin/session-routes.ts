import type { UserStore } from '../accounts/user-store.ts';
import type { AccountSessions } from '../provider/account-sessions.ts';
import type { AdminRoute } from './admin-router.ts';
import { pageOf, pageRequest } from './paginate.ts';
import { AdminProblem } from './problem.ts';

const SCOPE = 'admin:sessions';

/**
 * The sessions area, beside the grants: a user's browser sessions (when signed in, the clients
 * and grants in each, expiry), ended one at a time or all at once; an ended session's browser
 * must sign in again and the grants of the session are revoked.
 */
export function sessionRoutes({ users, sessions }: { users: UserStore; sessions: AccountSessions }): AdminRoute[] {
  const account = async (id: string): Promise<void> => {
    if (!(await users.findById(id))) throw new AdminProblem(404, `no account with id ${id}`);
  };
  return [
    {
      method: 'GET', path: '/users/{id}/sessions', scope: SCOPE,
      async handle(ctx, params) {
        await account(params.id!);
        const live = (await sessions.list(params.id!)).sort((a, b) => (a.session_id < b.session_id ? -1 : 1));
        const page = pageOf(live.map((s) => s.session_id), pageRequest(ctx));
        ctx.body = { items: live.filter((s) => page.ids.includes(s.session_id)), ...(page.next ? { next_cursor: page.next } : {}) };
      },
    },
    {
      method: 'DELETE', path: '/users/{id}/sessions/{session_id}', scope: SCOPE,
      audit: { action: 'session.end', target: (p) => `user:${p.id}/session:${p.session_id}` },
      async handle(ctx, params) {
        await account(params.id!);
        if (!(await sessions.end(params.id!, params.session_id!))) throw new AdminProblem(404, `user ${params.id} has no session ${params.session_id}`);
        ctx.status = 204;
      },
    },
    {
      method: 'DELETE', path: '/users/{id}/sessions', scope: SCOPE, audit: { action: 'session.end_all', target: (p) => `user:${p.id}` },
      async handle(ctx, params) {
        await account(params.id!);
        ctx.body = { ended: await sessions.endAll(params.id!) };
      },
    },
  ];
}
