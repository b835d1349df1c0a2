import type { UserStore } from '../accounts/user-store.ts';
import type { AccountGrants } from '../provider/account-grants.ts';
import type { AdminRoute } from './admin-router.ts';
import { pageBody, pageRequest } from './paginate.ts';
import { AdminProblem } from './problem.ts';
import { requireAccount } from './require-account.ts';

const SCOPE = 'admin:sessions';

/** The sessions area: a user's grants to clients (client, scopes, when), ended one at a time or all at once. */
export function grantRoutes({ users, grants }: { users: UserStore; grants: AccountGrants }): AdminRoute[] {
  const account = (id: string): Promise<void> => requireAccount(users, id);
  return [
    {
      method: 'GET',
      path: '/users/{id}/grants',
      scope: SCOPE,
      async handle(ctx, params) {
        await account(params.id!);
        ctx.body = pageBody(await grants.list(params.id!), (g) => g.grant_id, pageRequest(ctx));
      },
    },
    {
      method: 'DELETE',
      path: '/users/{id}/grants/{grant_id}',
      scope: SCOPE,
      audit: { action: 'grant.revoke', target: (p) => `user:${p.id}/grant:${p.grant_id}` },
      async handle(ctx, params) {
        await account(params.id!);
        if (!(await grants.revoke(params.id!, params.grant_id!))) throw new AdminProblem(404, `user ${params.id} has no grant ${params.grant_id}`);
        ctx.status = 204;
      },
    },
    {
      method: 'DELETE',
      path: '/users/{id}/grants',
      scope: SCOPE,
      audit: { action: 'grant.revoke_all', target: (p) => `user:${p.id}` },
      async handle(ctx, params) {
        await account(params.id!);
        ctx.body = { revoked: await grants.revokeAll(params.id!) };
      },
    },
  ];
}
