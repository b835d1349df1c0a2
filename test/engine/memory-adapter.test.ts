import { engineMemoryAdapter } from '../../src/provider/engine/memory-adapter.ts';

const soon = () => Math.floor(Date.now() / 1000);

test("seam: the engine's deep-imported memory adapter stores, finds by uid, consumes, destroys and revokes by grant", async () => {
  const factory = engineMemoryAdapter();
  const sessions = factory('Session');
  const codes = factory('AuthorizationCode');
  await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 60);
  expect(await sessions.find('s1')).toEqual({ uid: 'u1', accountId: 'alice' });
  expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'alice' });
  await sessions.destroy('s1');
  expect(await sessions.find('s1')).toBeUndefined();

  await codes.upsert('c1', { grantId: 'g1', iat: soon() }, 60);
  await codes.consume('c1');
  expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
  await codes.upsert('c2', { grantId: 'g1' }, 60);
  await codes.revokeByGrantId('g1');
  expect([await codes.find('c1'), await codes.find('c2')]).toEqual([undefined, undefined]);
});

test('seam: the models of one factory share its store, and each factory has a store of its own', async () => {
  const one = engineMemoryAdapter();
  await one('Grant').upsert('shared', { accountId: 'bob' }, 60);
  await one('AccessToken').upsert('at', { grantId: 'shared' }, 60);
  expect(await one('Grant').find('shared')).toEqual({ accountId: 'bob' });
  expect(await engineMemoryAdapter()('Grant').find('shared')).toBeUndefined();
  await one('RefreshToken').revokeByGrantId('shared');
  expect(await one('AccessToken').find('at')).toBeUndefined();
});
