import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';

import { openAdapter } from '../../src/provider/open-adapter.ts';

/** What a store under test offers the contract: its adapter. */
export interface StoreUnderTest {
  readonly adapter: AdapterConstructor | AdapterFactory;
}

/** A store whose keys can be looked at (Redis): {@link inspectedStoreContract} checks their TTLs and their count. */
export interface InspectedStore extends StoreUnderTest {
  /** Remaining time to live of a record, in ms. */
  readonly ttl: (model: string, id: string, grantId?: string) => Promise<number>;
  /** Number of keys the store holds. */
  readonly size: () => Promise<number>;
}

const MODELS = [
  'Session',
  'Interaction',
  'AuthorizationCode',
  'RefreshToken',
  'AccessToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'Grant',
  'PushedAuthorizationRequest',
  'ReplayDetection',
  'Client',
  'RegistrationAccessToken',
  'InitialAccessToken',
];

let sequence = 0;
const unique = (label: string): string => `${label}-${process.pid}-${Date.now()}-${++sequence}`;

function open(store: StoreUnderTest, model: string): Adapter {
  return openAdapter(store.adapter, model);
}

/** The oidc-provider adapter contract, as Tessera relies on it; every store passes it. */
export function adapterContract(name: string, store: () => StoreUnderTest): void {
  describe(`adapter contract: ${name}`, () => {
    test.each(MODELS)('%s: upsert, find, destroy', async (model) => {
      const adapter = open(store(), model);
      const id = unique('id');
      const payload = { kind: model, jti: id, clientId: 'client', scope: 'openid api:read', nested: { list: [1, 2], empty: [] } };
      await adapter.upsert(id, payload, 60);
      expect(await adapter.find(id)).toEqual(payload);
      await adapter.destroy(id);
      expect(await adapter.find(id)).toBeUndefined();
      expect(await adapter.find(unique('never'))).toBeUndefined();
    });

    test('a record is found until its expiresIn has passed, then it is gone, with its uid pointer and its grant membership', async () => {
      const uid = unique('uid');
      const session = unique('session');
      const grantId = unique('grant');
      const code = unique('code');
      const kept = unique('session');
      const started = Date.now();
      await open(store(), 'Session').upsert(session, { uid, kind: 'Session' }, 2);
      await open(store(), 'AuthorizationCode').upsert(code, { grantId, kind: 'AuthorizationCode' }, 2);
      await open(store(), 'Session').upsert(kept, { uid: unique('uid'), kind: 'Session' }, 60);
      expect(await open(store(), 'Session').findByUid(uid)).toEqual({ uid, kind: 'Session' });
      expect(await open(store(), 'AuthorizationCode').find(code)).toEqual({ grantId, kind: 'AuthorizationCode' });
      const deadline = started + 10_000;
      while ((await open(store(), 'Session').find(session)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(await open(store(), 'Session').find(session)).toBeUndefined();
      expect(await open(store(), 'Session').findByUid(uid)).toBeUndefined();
      expect(await open(store(), 'AuthorizationCode').find(code)).toBeUndefined();
      expect(await open(store(), 'Session').find(kept)).toMatchObject({ kind: 'Session' });
    });

    test('findByUid and findByUserCode', async () => {
      const uid = unique('uid');
      const session = unique('session');
      await open(store(), 'Session').upsert(session, { uid, accountId: 'alice' }, 60);
      expect(await open(store(), 'Session').findByUid(uid)).toEqual({ uid, accountId: 'alice' });
      const userCode = unique('ABCD');
      const device = unique('device');
      await open(store(), 'DeviceCode').upsert(device, { userCode, clientId: 'tv' }, 60);
      expect(await open(store(), 'DeviceCode').findByUserCode(userCode)).toEqual({ userCode, clientId: 'tv' });
      expect(await open(store(), 'Session').findByUid(unique('nope'))).toBeUndefined();
    });

    test('consume marks the record consumed; of 50 concurrent consumes exactly one wins, the rest are invalid_grant', async () => {
      const codes = open(store(), 'AuthorizationCode');
      const grantId = unique('grant');
      const code = unique('code');
      await codes.upsert(code, { grantId, kind: 'AuthorizationCode' }, 60);
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => open(store(), 'AuthorizationCode').consume(code)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
      }
    });

    test('a consumed record reads as consumed', async () => {
      const tokens = open(store(), 'RefreshToken');
      const id = unique('rt');
      await tokens.upsert(id, { grantId: unique('grant'), kind: 'RefreshToken' }, 60);
      await tokens.consume(id);
      expect(await tokens.find(id)).toMatchObject({ kind: 'RefreshToken', consumed: expect.any(Number) });
    });

    test('revokeByGrantId removes every token of the grant, across models, and nothing else', async () => {
      const grantId = unique('grant');
      const other = unique('grant');
      const ids = { AuthorizationCode: unique('c'), RefreshToken: unique('r'), AccessToken: unique('a') };
      for (const [model, id] of Object.entries(ids)) await open(store(), model).upsert(id, { grantId, kind: model }, 60);
      const kept = unique('r');
      await open(store(), 'RefreshToken').upsert(kept, { grantId: other, kind: 'RefreshToken' }, 60);
      await open(store(), 'RefreshToken').revokeByGrantId(grantId);
      for (const [model, id] of Object.entries(ids)) expect(await open(store(), model).find(id)).toBeUndefined();
      expect(await open(store(), 'RefreshToken').find(kept)).toEqual({ grantId: other, kind: 'RefreshToken' });
    });
  });
}

/** What the contract checks of a store whose keys it can see: each record's TTL, and that nothing is left behind. */
export function inspectedStoreContract(name: string, store: () => InspectedStore): void {
  describe(`adapter contract, keys: ${name}`, () => {
    test("every record gets the model's expiresIn as its TTL", async () => {
      const { ttl } = store();
      const grantId = unique('grant');
      const code = unique('code');
      await open(store(), 'AuthorizationCode').upsert(code, { grantId, kind: 'AuthorizationCode' }, 60);
      const session = unique('session');
      await open(store(), 'Session').upsert(session, { uid: unique('uid'), kind: 'Session' }, 120);
      const codeTtl = await ttl('AuthorizationCode', code, grantId);
      const sessionTtl = await ttl('Session', session);
      expect(codeTtl).toBeGreaterThan(58_000);
      expect(codeTtl).toBeLessThanOrEqual(60_000);
      expect(sessionTtl).toBeGreaterThan(118_000);
      expect(sessionTtl).toBeLessThanOrEqual(120_000);
    });

    // Lifetimes of a few seconds: long enough that none expires before the burst is counted, even
    // on a busy machine; the wait afterwards ends as soon as all of it is gone.
    test('after a burst of short-lived grants expires, the store is back to its size before', async () => {
      const { size } = store();
      const before = await size();
      for (let i = 0; i < 20; i++) {
        const grantId = unique('grant');
        await open(store(), 'Grant').upsert(grantId, { kind: 'Grant', accountId: 'alice' }, 5);
        await open(store(), 'AuthorizationCode').upsert(unique('c'), { grantId, kind: 'AuthorizationCode' }, 5);
        await open(store(), 'RefreshToken').upsert(unique('r'), { grantId, kind: 'RefreshToken' }, 6);
        await open(store(), 'Session').upsert(unique('s'), { uid: unique('uid'), kind: 'Session' }, 5);
      }
      expect(await size()).toBeGreaterThan(before + 20 * 4);
      const deadline = Date.now() + 30_000;
      let now = await size();
      while (now !== before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        now = await size();
      }
      expect(now).toBe(before);
    });
  });
}
