import { Redis } from 'ioredis';
import type { Account as ProviderAccount, KoaContextWithOIDC } from 'oidc-provider';

import { SCOPE_CLAIMS } from '../../src/accounts/account-claims.ts';
import { createFindAccount } from '../../src/accounts/find-account.ts';
import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import type { Account, UserStore } from '../../src/accounts/user-store.ts';

const redis = new Redis(process.env.REDIS_URL!);
const ctx = {} as KoaContextWithOIDC;
let store: UserStore;
let alice: Account;
let run = 0;

beforeEach(async () => {
  store = createRedisUserStore({ redis, prefix: `test-accounts-find:${++run}:`, hashing: { N: 2 ** 10 } });
  alice = await store.create({
    username: 'Alice',
    password: 'correct horse battery',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
  });
});
afterAll(() => redis.quit());

async function found(id: string): Promise<ProviderAccount> {
  const account = await createFindAccount(store)(ctx, id);
  if (!account) throw new Error('not found');
  return account;
}

test('the account id is the sub; claims follow the granted scopes', async () => {
  const account = await found(alice.id);
  expect(account.accountId).toBe(alice.id);
  expect(await account.claims('id_token', 'openid', {}, [])).toEqual({ sub: alice.id });
  expect(await account.claims('userinfo', 'openid profile', {}, [])).toEqual({
    sub: alice.id,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    preferred_username: 'alice',
    updated_at: alice.updated_at,
  });
  expect(await account.claims('userinfo', 'openid email', {}, [])).toEqual({ sub: alice.id, email: 'alice@example.com', email_verified: true });
  expect(Object.keys(await account.claims('userinfo', 'openid profile email api:read', {}, [])).sort()).toEqual([
    'email',
    'email_verified',
    'family_name',
    'given_name',
    'name',
    'preferred_username',
    'sub',
    'updated_at',
  ]);
});

test('single claims asked for by the claims parameter are released unless rejected; unknown ones are ignored', async () => {
  const account = await found(alice.id);
  expect(await account.claims('userinfo', 'openid', { email: null, given_name: { essential: true }, shoe_size: null }, ['given_name'])).toEqual({
    sub: alice.id,
    email: 'alice@example.com',
  });
});

test('absent profile fields are left out, and email_verified only comes with an email', async () => {
  const bob = await store.create({ username: 'bob', password: 'correct horse battery' });
  expect(await (await found(bob.id)).claims('userinfo', 'openid profile email', {}, [])).toEqual({
    sub: bob.id,
    preferred_username: 'bob',
    updated_at: bob.updated_at,
  });
});

test('a disabled, deleted or unknown account is not found', async () => {
  const findAccount = createFindAccount(store);
  await store.setDisabled(alice.id, true);
  expect(await findAccount(ctx, alice.id)).toBeUndefined();
  await store.setDisabled(alice.id, false);
  expect(await findAccount(ctx, alice.id)).toBeDefined();
  await store.delete(alice.id);
  expect(await findAccount(ctx, alice.id)).toBeUndefined();
  expect(await findAccount(ctx, 'alice')).toBeUndefined();
});

test('SCOPE_CLAIMS lists the claims of each scope for the provider configuration', () => {
  expect(SCOPE_CLAIMS).toEqual({
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  });
});
