import { decodeJwt } from 'jose';

import { ACCESS_TOKEN_TYPE, exchange, mintToken, signIn, startFleet } from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

let fleet: Fleet;
let userSub: string;

beforeAll(async () => {
  fleet = await startFleet();
  userSub = decodeJwt((await signIn(fleet)).access_token).sub!;
});

afterAll(async () => {
  await fleet.tessera.stop();
});

const now = (): number => Math.floor(Date.now() / 1000);
const invalidGrant = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });

/** Alice's token for orders, signed as Tessera would, with `claims` on top. */
const aliceToken = (claims: Record<string, unknown> = {}): string => mintToken(fleet, { sub: userSub, ...claims });
/** The order service's own token, signed as Tessera would, with `claims` on top. */
const ordersOwn = (claims: Record<string, unknown> = {}): string =>
  mintToken(fleet, { sub: 'orders-service', client_id: 'orders-service', scope: 'orders', ...claims });

test.each([
  ['an array', ['orders-service']],
  ['a string', 'orders-service'],
  ['null', null],
  ['a number', 1],
])('a may_act that is %s is refused, not taken as absent', async (_kind, mayAct) => {
  expect(await exchange(fleet, 'orders-service', aliceToken({ may_act: mayAct }), { audience: 'payments' })).toEqual(
    invalidGrant("the subject_token's may_act claim is not an object"),
  );
});

describe('a token issued in the future, beyond the clock tolerance (5 s), is refused', () => {
  test('as subject_token', async () => {
    expect(await exchange(fleet, 'orders-service', aliceToken({ iat: now() + 60 }), { audience: 'payments' })).toEqual(
      invalidGrant('the subject_token is not yet valid: its iat is in the future'),
    );
  });

  test('as actor_token', async () => {
    expect(
      await exchange(fleet, 'orders-service', aliceToken(), {
        audience: 'payments',
        actor_token: ordersOwn({ iat: now() + 60 }),
        actor_token_type: ACCESS_TOKEN_TYPE,
      }),
    ).toEqual(invalidGrant('the actor_token is not yet valid: its iat is in the future'));
  });

  test('within the tolerance both are accepted', async () => {
    const { status, body } = await exchange(fleet, 'orders-service', aliceToken({ iat: now() + 2 }), {
      audience: 'payments',
      actor_token: ordersOwn({ iat: now() + 2 }),
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: userSub, act: { sub: 'orders-service' } });
  });
});
