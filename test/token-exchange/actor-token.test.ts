import { decodeJwt } from 'jose';

import { ACCESS_TOKEN_TYPE, exchange, mintToken, ORDERS, serviceToken, signIn, startFleet } from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

// The fleet's order service may present its own tokens and those of the batch job (and of the
// browser app) as actor_token; the payment service names no actors, so only its own tokens.
let fleet: Fleet;
let userToken: string;
let userSub: string;
/** Alice's token for payments, as the order service sends it to the payment service. */
let forPayments: string;
/** The order service's own token, as it sends it along to the services it calls. */
let ordersOwn: string;

beforeAll(async () => {
  fleet = await startFleet();
  userToken = (await signIn(fleet)).access_token;
  userSub = decodeJwt(userToken).sub!;
  forPayments = (await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments' })).body.access_token as string;
  ordersOwn = await serviceToken(fleet, 'orders-service', { resource: ORDERS, scope: 'orders' });
});

afterAll(async () => {
  await fleet.tessera.stop();
});

const NOT_AN_ACTOR = {
  status: 400,
  body: { error: 'invalid_grant', error_description: "the actor_token must be this client's own token or that of an actor its token_exchange policy names" },
};
const MAY_NOT_ACT = { status: 400, body: { error: 'invalid_grant', error_description: 'the subject_token does not allow this actor (may_act)' } };

const withActor = (actorToken: string, params: Record<string, string>) => ({ actor_token: actorToken, actor_token_type: ACCESS_TOKEN_TYPE, ...params });

/** Alice's token for payments from the order service, signed as Tessera would, with `claims` on top. */
const paymentsToken = (claims: Record<string, unknown>): string =>
  mintToken(fleet, { aud: 'payments', sub: userSub, client_id: 'orders-service', scope: 'payments', act: { sub: 'orders-service' }, ...claims });

describe("an actor_token that is not the client's, nor of an actor its policy names, is refused", () => {
  test("another service's token, which that service sent along", async () => {
    expect(await exchange(fleet, 'payments-service', forPayments, withActor(ordersOwn, { audience: 'payment-gateway' }))).toEqual(NOT_AN_ACTOR);
    const reportsOwn = await serviceToken(fleet, 'reports-service', { resource: 'https://payments.example.com', scope: 'payments' });
    expect(await exchange(fleet, 'orders-service', userToken, withActor(reportsOwn, { audience: 'payments' }))).toEqual(NOT_AN_ACTOR);
  });

  test("the subject token itself, or any user's token, even of a client the policy names", async () => {
    expect(await exchange(fleet, 'payments-service', forPayments, withActor(forPayments, { audience: 'payment-gateway' }))).toEqual(NOT_AN_ACTOR);
    // Alice's token was issued to the browser app, an actor the order service's policy names, but
    // its sub is Alice: it is not the browser app's own.
    expect(await exchange(fleet, 'orders-service', userToken, withActor(userToken, { audience: 'payments' }))).toEqual(NOT_AN_ACTOR);
    // A token the order service got for Alice has the order service as client_id, Alice as sub.
    expect(await exchange(fleet, 'orders-service', userToken, withActor(forPayments, { audience: 'payments' }))).toEqual(NOT_AN_ACTOR);
  });

  test("a may_act naming a service is not satisfied by that service's token in another client's hands", async () => {
    const subject = paymentsToken({ may_act: { sub: 'orders-service' } });
    expect(await exchange(fleet, 'payments-service', subject, withActor(ordersOwn, { audience: 'payment-gateway' }))).toEqual(NOT_AN_ACTOR);
    expect(await exchange(fleet, 'payments-service', subject, { audience: 'payment-gateway' })).toEqual(MAY_NOT_ACT);
  });
});

describe('an actor_token the client may present is accepted', () => {
  test("the client's own token: act.sub is the client", async () => {
    const { status, body } = await exchange(fleet, 'orders-service', userToken, withActor(ordersOwn, { audience: 'payments' }));
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: userSub, client_id: 'orders-service', act: { sub: 'orders-service' } });
  });

  test('a token of an actor the policy names: act.sub is that actor', async () => {
    const batchJwt = await serviceToken(fleet, 'batch-service', { resource: ORDERS, scope: 'orders' });
    const { status, body } = await exchange(fleet, 'orders-service', userToken, withActor(batchJwt, { audience: 'payments' }));
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: userSub, client_id: 'orders-service', act: { sub: 'batch-service' } });
  });

  test("a may_act naming a service is satisfied by that service's token presented by a client allowed to present it", async () => {
    const subject = mintToken(fleet, { sub: userSub, may_act: { sub: 'batch-service' } });
    const batchOwn = await serviceToken(fleet, 'batch-service', { resource: ORDERS, scope: 'orders' });
    const { status, body } = await exchange(fleet, 'orders-service', subject, withActor(batchOwn, { audience: 'payments' }));
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string).act).toEqual({ sub: 'batch-service' });
    // Without the actor, the order service itself acts, which may_act does not allow; the payment
    // service may not present the batch job's token at all.
    expect(await exchange(fleet, 'orders-service', subject, { audience: 'payments' })).toEqual(MAY_NOT_ACT);
    const forPaymentsBatch = paymentsToken({ may_act: { sub: 'batch-service' } });
    expect(await exchange(fleet, 'payments-service', forPaymentsBatch, withActor(batchOwn, { audience: 'payment-gateway' }))).toEqual(NOT_AN_ACTOR);
  });
});
