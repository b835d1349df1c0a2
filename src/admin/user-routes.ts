import { createHash } from 'node:crypto';

import type { Context } from 'koa';

import { UserStoreError } from '../accounts/user-store-error.ts';
import type { Account, NewAccount, ProfileChanges, UserStore } from '../accounts/user-store.ts';
import type { Revocations } from '../revocation/revocations.ts';
import type { AdminRoute } from './admin-router.ts';
import { cursorAfter, pageRequest } from './paginate.ts';
import { etag, requireIfMatch } from './preconditions.ts';
import { AdminProblem } from './problem.ts';
import { readJson } from './read-json.ts';

const SCOPE = 'admin:users';
const target = (params: Record<string, string>): string => `user:${params.id}`;
const PROFILE = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups'] as const;

/** Maps the store's errors onto problems: 404, 409, or 400 listing every problem. */
async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof UserStoreError)) throw err;
    if (err.code === 'account_not_found') throw new AdminProblem(404, err.message);
    if (err.code === 'username_taken') throw new AdminProblem(409, err.message);
    throw new AdminProblem(400, 'the user is not valid', { errors: err.message.split('; ') });
  }
}

const revision = (account: Account): string => createHash('sha256').update(JSON.stringify(account)).digest('base64url').slice(0, 22);

function send(ctx: Context, status: number, account: Account): void {
  ctx.status = status;
  ctx.body = account;
  ctx.set('ETag', etag(revision(account)));
}

async function existing(users: UserStore, id: string): Promise<Account> {
  const account = await users.findById(id);
  if (!account) throw new AdminProblem(404, `no account with id ${id}`);
  return account;
}

function unknownFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw new AdminProblem(400, 'the user is not valid', { errors: unknown.map((key) => `${key}: is not a field that can be set here`) });
}

/** The users area, through the user store (src/accounts stays the only reader and writer of accounts). */
export function userRoutes({ users, revocations }: { users: UserStore; revocations?: Pick<Revocations, 'revokeSubject'> | undefined }): AdminRoute[] {
  const setDisabled = (disabled: boolean): AdminRoute => ({
    method: 'POST', path: `/users/{id}/${disabled ? 'disable' : 'enable'}`, scope: SCOPE, audit: { action: `user.${disabled ? 'disable' : 'enable'}`, target },
    async handle(ctx, params) {
      const account = await mapped(() => users.setDisabled(params.id!, disabled));
      // Disabled first, so no new token is issued while the user's tokens are being revoked.
      if (disabled) await revocations?.revokeSubject(account.id);
      send(ctx, 200, account);
    },
  });
  return [
    {
      method: 'GET', path: '/users', scope: SCOPE,
      async handle(ctx) {
        const { after, limit } = pageRequest(ctx);
        const q = typeof ctx.query.q === 'string' ? ctx.query.q.toLowerCase() : undefined;
        // One more than the page tells whether another follows. A search reads every account.
        const found = q
          ? (await users.list()).filter((a) => (after === undefined || a.username > after) && (a.username.includes(q) || a.email?.toLowerCase().includes(q)))
          : await users.page(after, limit + 1);
        const items = found.slice(0, limit);
        ctx.body = { items, ...(found.length > limit ? { next_cursor: cursorAfter(items.at(-1)!.username) } : {}) };
      },
    },
    {
      method: 'POST', path: '/users', scope: SCOPE, audit: { action: 'user.create', target: () => 'user' },
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
        send(ctx, 201, account);
      },
    },
    {
      method: 'GET', path: '/users/{id}', scope: SCOPE,
      async handle(ctx, params) {
        send(ctx, 200, await existing(users, params.id!));
      },
    },
    {
      method: 'PATCH', path: '/users/{id}', scope: SCOPE, audit: { action: 'user.update', target },
      async handle(ctx, params) {
        requireIfMatch(ctx, revision(await existing(users, params.id!)));
        const body = await readJson(ctx);
        unknownFields(body, PROFILE);
        send(ctx, 200, await mapped(() => users.updateProfile(params.id!, body as ProfileChanges)));
      },
    },
    setDisabled(true),
    setDisabled(false),
    {
      method: 'PUT', path: '/users/{id}/password', scope: SCOPE, audit: { action: 'user.set_password', target },
      async handle(ctx, params) {
        const { password, ...rest } = await readJson(ctx);
        unknownFields(rest, []);
        if (typeof password !== 'string') throw new AdminProblem(400, 'the user is not valid', { errors: ['password: is a required string'] });
        await mapped(() => users.setPassword(params.id!, password));
        ctx.status = 204;
      },
    },
    {
      method: 'DELETE', path: '/users/{id}', scope: SCOPE, audit: { action: 'user.delete', target },
      async handle(ctx, params) {
        // Disabled, then revoked, then deleted: a failure on the way leaves no usable token behind.
        await mapped(() => users.setDisabled(params.id!, true));
        await revocations?.revokeSubject(params.id!);
        await mapped(() => users.delete(params.id!));
        ctx.status = 204;
      },
    },
  ];
}
