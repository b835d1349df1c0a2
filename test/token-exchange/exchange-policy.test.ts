import { actClaim, mayAct } from '../../src/token-exchange/act-claim.ts';
import { mayPresentActor } from '../../src/token-exchange/exchange-actor.ts';
import { decideExchange } from '../../src/token-exchange/exchange-policy.ts';
import type { ExchangeAsk } from '../../src/token-exchange/exchange-policy.ts';

const NOW = 1_800_000_000;
const servers = [
  { audience: 'orders', indicator: 'https://orders.example.com', scopes: ['orders', 'payments'], accessTokenTTL: 3600 },
  { audience: 'payments', indicator: 'https://payments.example.com', scopes: ['payments', 'refunds'], accessTokenTTL: 300 },
];
const policy = { delegation: true, targets: [{ audience: 'payments', scope: ['payments', 'refunds'] }] };
const subject = { scopes: ['orders', 'payments'], audiences: ['orders'], exp: NOW + 1000 };
const decide = (ask: ExchangeAsk, overrides: Partial<Parameters<typeof decideExchange>[0]> = {}) =>
  decideExchange({ policy, servers, subject, ask, now: NOW, ...overrides });

describe('decideExchange', () => {
  test("the issued scope is the subject's ∩ the policy's ∩ the target's; the lifetime the target's", () => {
    expect(decide({ audience: 'payments' })).toEqual({ ok: true, server: servers[1], scopes: ['payments'], expiresIn: 300 });
    expect(decide({ resource: 'https://payments.example.com', scope: 'payments' })).toEqual({
      ok: true,
      server: servers[1],
      scopes: ['payments'],
      expiresIn: 300,
    });
  });

  test('the lifetime never outlasts the subject token', () => {
    expect(decide({ audience: 'payments' }, { subject: { ...subject, exp: NOW + 42 } })).toMatchObject({ ok: true, expiresIn: 42 });
    expect(decide({ audience: 'payments' }, { subject: { ...subject, exp: NOW } })).toEqual({
      ok: false,
      error: 'invalid_grant',
      description: 'the subject_token has expired',
    });
  });

  test('a scope beyond any of the three is invalid_scope', () => {
    expect(decide({ audience: 'payments', scope: 'payments refunds' })).toEqual({
      ok: false,
      error: 'invalid_scope',
      description: 'scope refunds is not allowed for audience payments',
    });
    expect(decide({ audience: 'payments' }, { subject: { ...subject, scopes: ['orders'] } })).toEqual({
      ok: false,
      error: 'invalid_scope',
      description: 'the subject_token carries no scope allowed for audience payments',
    });
    expect(decide({ audience: 'payments' }, { policy: { ...policy, targets: [{ audience: 'payments', scope: ['refunds'] }] } })).toMatchObject({
      ok: false,
      error: 'invalid_scope',
    });
  });

  test('a target outside the policy or unknown is invalid_target; none at all is invalid_request', () => {
    expect(decide({ audience: 'orders' })).toEqual({
      ok: false,
      error: 'invalid_target',
      description: 'this client may not exchange tokens for audience orders',
    });
    expect(decide({ audience: 'geo' })).toEqual({ ok: false, error: 'invalid_target', description: 'no resource server is geo' });
    expect(decide({ audience: 'payments', resource: 'https://orders.example.com' })).toMatchObject({ ok: false, error: 'invalid_target' });
    expect(decide({})).toEqual({ ok: false, error: 'invalid_request', description: 'an audience or a resource is required' });
  });

  test('subject_audiences limits whose tokens the client may exchange', () => {
    const limited = { ...policy, subject_audiences: ['orders'] };
    expect(decide({ audience: 'payments' }, { policy: limited })).toMatchObject({ ok: true });
    expect(decide({ audience: 'payments' }, { policy: limited, subject: { ...subject, audiences: ['payments'] } })).toEqual({
      ok: false,
      error: 'invalid_grant',
      description: 'the subject_token is not for an audience this client may exchange tokens of',
    });
  });
});

describe('act and may_act', () => {
  const orders = { sub: 'orders-service', claims: { sub: 'orders-service', client_id: 'orders-service' } };

  test('the new actor wraps the earlier chain', () => {
    expect(actClaim(orders, undefined)).toEqual({ sub: 'orders-service' });
    expect(actClaim(orders, { sub: 'web', act: { sub: 'edge' } })).toEqual({ sub: 'orders-service', act: { sub: 'web', act: { sub: 'edge' } } });
  });

  test('may_act allows only an actor matching every claim it names', () => {
    expect(mayAct({}, orders)).toBe('allowed');
    expect(mayAct({ may_act: { sub: 'orders-service' } }, orders)).toBe('allowed');
    expect(mayAct({ may_act: { sub: 'orders-service', client_id: 'other' } }, orders)).toBe('refused');
    expect(mayAct({ may_act: { sub: 'payments-service' } }, orders)).toBe('refused');
    expect(mayAct({ may_act: {} }, orders)).toBe('refused');
  });

  test('a may_act that is not an object is malformed, not absent', () => {
    for (const value of [['orders-service'], 'orders-service', null, 0, false]) {
      expect([value, mayAct({ may_act: value }, orders)]).toEqual([value, 'malformed']);
    }
  });
});

describe('which actor tokens a client may present', () => {
  const own = (id: string) => ({ sub: id, client_id: id });

  test('its own, or those of a client its policy names; never a token whose sub is not its client_id', () => {
    expect(mayPresentActor('orders-service', {}, own('orders-service'))).toBe(true);
    expect(mayPresentActor('orders-service', {}, own('batch-service'))).toBe(false);
    expect(mayPresentActor('orders-service', { actors: ['batch-service'] }, own('batch-service'))).toBe(true);
    expect(mayPresentActor('orders-service', { actors: ['batch-service'] }, own('reports-service'))).toBe(false);
    expect(mayPresentActor('orders-service', { actors: ['webapp'] }, { sub: 'alice', client_id: 'webapp' })).toBe(false);
    expect(mayPresentActor('orders-service', {}, { sub: 'alice', client_id: 'orders-service' })).toBe(false);
    expect(mayPresentActor('orders-service', { actors: ['batch-service'] }, { sub: 'batch-service', client_id: 'orders-service' })).toBe(false);
  });
});
