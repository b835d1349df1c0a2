import { createDpopNonces } from '../../src/resource-server/dpop-nonces.ts';

test('a nonce is accepted in its own period and the next, then refused; replicas with one secret agree', () => {
  let now = 1_000_000_000_000;
  const secret = Buffer.from('a nonce secret of at least thirty-two bytes');
  const nonces = createDpopNonces(secret, 60, () => now);
  const replica = createDpopNonces(Buffer.from(secret), 60, () => now);
  const first = nonces.current();
  expect([first, replica.accepts(first), nonces.accepts('made-up')]).toEqual([replica.current(), true, false]);
  now += 60_000;
  expect([nonces.current() === first, nonces.accepts(first)]).toEqual([false, true]);
  now += 60_000;
  expect(nonces.accepts(first)).toBe(false);
  expect(createDpopNonces(Buffer.from('another secret of at least thirty-two bytes'), 60, () => now).current()).not.toBe(nonces.current());
});
