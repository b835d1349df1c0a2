import type { UserStore } from '../accounts/user-store.ts';
import type { AccountSessions } from '../provider/account-sessions.ts';
import type { AdminRoute } from './admin-router.ts';
import { pageBody, pageRequest } from './paginate.ts';
import { AdminProblem } from './problem.ts';
import { requireAccount } from './require-account.ts';

const SCOPE = 'admin:sessions';

/**
 * The sessions area, beside the grants: a user's browser sessions (when signed in, the clients
 * and grants in each, expiry), ended one at a time or all at once; an ended session's browser
 * must sign in again and the grants of the session are revoked.
 */
export function sessionRoutes({ users, sessions }: { users: UserStore; sessions: AccountSessions }): AdminRoute[] {
  const account = (id: string): Promise<void> => requireAccount(users, id);
  return [
    {
      method: 'GET',
      path: '/users/{id}/sessions',
      scope: SCOPE,
      async handle(ctx, params) {
        await account(params.id!);
        ctx.body = pageBody(await sessions.list(params.id!), (s) => s.session_id, pageRequest(ctx));
      },
    },
    {
      method: 'DELETE',
      path: '/users/{id}/sessions/{session_id}',
      scope: SCOPE,
      audit: { action: 'session.end', target: (p) => `user:${p.id}/session:${p.session_id}` },
      async handle(ctx, params) {
        await account(params.id!);
        if (!(await sessions.end(params.id!, params.session_id!))) throw new AdminProblem(404, `user ${params.id} has no session ${params.session_id}`);
        ctx.status = 204;
      },
    },
    {
      method: 'DELETE',
      path: '/users/{id}/sessions',
      scope: SCOPE,
      audit: { action: 'session.end_all', target: (p) => `user:${p.id}` },
      async handle(ctx, params) {
        await account(params.id!);
        ctx.body = { ended: await sessions.endAll(params.id!) };
      },
    },
  ];
}
