import type { Context } from 'koa';

import { UserStoreError } from '../accounts/user-store-error.ts';
import type { Account, NewAccount, ProfileChanges, UserStore } from '../accounts/user-store.ts';
import type { Revocations } from '../revocation/revocations.ts';
import type { AdminRoute } from './admin-router.ts';
import { checkIfMatch, etag, preconditionFailed, requireIfMatch } from './preconditions.ts';
import { AdminProblem } from './problem.ts';
import { readJson } from './read-json.ts';
import { userListRoute } from './user-list-route.ts';
import { deleteUser, setUserDisabled } from './user-operations.ts';

const SCOPE = 'admin:users';
const target = (params: Record<string, string>): string => `user:${params.id}`;
const PROFILE = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups'] as const;

/** Maps the store's errors onto problems: 404, 409, 412 (naming the revision now), or 400 listing every problem. */
async function mapped<T>(work: () => Promise<T>, users?: UserStore, id?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof UserStoreError)) throw err;
    if (err.code === 'revision_mismatch') throw preconditionFailed((await existing(users!, id!)).revision);
    if (err.code === 'account_not_found') throw new AdminProblem(404, err.message);
    if (err.code === 'username_taken') throw new AdminProblem(409, err.message);
    throw new AdminProblem(400, 'the user is not valid', { errors: err.message.split('; ') });
  }
}

/** Answers with the account and the ETag of its revision, as one read finds them. */
async function send(ctx: Context, status: number, users: UserStore, id: string): Promise<void> {
  const { account, revision } = await existing(users, id);
  ctx.status = status;
  ctx.body = account;
  ctx.set('ETag', etag(revision));
}

async function existing(users: UserStore, id: string): Promise<{ account: Account; revision: string }> {
  const found = await users.findWithRevision(id);
  if (!found) throw new AdminProblem(404, `no account with id ${id}`);
  return found;
}

function unknownFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw new AdminProblem(400, 'the user is not valid', { errors: unknown.map((key) => `${key}: is not a field that can be set here`) });
}

/** The users area, through the user store (src/accounts stays the only reader and writer of accounts). */
export function userRoutes({ users, revocations }: { users: UserStore; revocations?: Pick<Revocations, 'revokeSubject'> | undefined }): AdminRoute[] {
  const setDisabled = (disabled: boolean): AdminRoute => ({
    method: 'POST',
    path: `/users/{id}/${disabled ? 'disable' : 'enable'}`,
    scope: SCOPE,
    audit: { action: `user.${disabled ? 'disable' : 'enable'}`, target },
    async handle(ctx, params) {
      const account = await mapped(() => setUserDisabled({ users, revocations }, params.id!, disabled));
      await send(ctx, 200, users, account.id);
    },
  });
  return [
    userListRoute(users),
    {
      method: 'POST',
      path: '/users',
      scope: SCOPE,
      audit: { action: 'user.create', target: () => 'user' },
      async handle(ctx) {
        const body = await readJson(ctx);
        unknownFields(body, ['username', 'password', ...PROFILE]);
        const { groups, ...input } = body;
        if (typeof input.username !== 'string' || typeof input.password !== 'string') {
          throw new AdminProblem(400, 'the user is not valid', { errors: ['username and password: are required strings'] });
        }
        let account = await mapped(() => users.create(input as unknown as NewAccount));
        if (groups !== undefined) {
          try {
            account = await mapped(() => users.updateProfile(account.id, { groups: groups as string[] }));
          } catch (err) {
            // Nothing half-made: an account whose groups were refused is not kept.
            await users.delete(account.id);
            throw err;
          }
        }
        ctx.set('Location', `${ctx.path}/${account.id}`);
        await send(ctx, 201, users, account.id);
      },
    },
    {
      method: 'GET',
      path: '/users/{id}',
      scope: SCOPE,
      async handle(ctx, params) {
        await send(ctx, 200, users, params.id!);
      },
    },
    {
      method: 'PATCH',
      path: '/users/{id}',
      scope: SCOPE,
      audit: { action: 'user.update', target },
      async handle(ctx, params) {
        const expected = requireIfMatch(ctx, (await existing(users, params.id!)).revision);
        const body = await readJson(ctx);
        unknownFields(body, PROFILE);
        await mapped(() => users.updateProfile(params.id!, body as ProfileChanges, expected), users, params.id!);
        await send(ctx, 200, users, params.id!);
      },
    },
    setDisabled(true),
    setDisabled(false),
    {
      method: 'PUT',
      path: '/users/{id}/password',
      scope: SCOPE,
      audit: { action: 'user.set_password', target },
      async handle(ctx, params) {
        const { password, ...rest } = await readJson(ctx);
        unknownFields(rest, []);
        if (typeof password !== 'string') throw new AdminProblem(400, 'the user is not valid', { errors: ['password: is a required string'] });
        await mapped(() => users.setPassword(params.id!, password));
        ctx.status = 204;
      },
    },
    {
      method: 'DELETE',
      path: '/users/{id}',
      scope: SCOPE,
      audit: { action: 'user.delete', target },
      async handle(ctx, params) {
        // From the revision If-Match names, when it names one.
        const expected = checkIfMatch(ctx, (await existing(users, params.id!)).revision);
        await mapped(() => deleteUser({ users, revocations }, params.id!, expected), users, params.id!);
        ctx.status = 204;
      },
    },
  ];
}
