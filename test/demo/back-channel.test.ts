import { createJwksCache } from '../../src/demo/back-channel.ts';

test('the demo keeps one JWKS per back-channel origin, and at most as many origins as its capacity', () => {
  const jwks = createJwksCache(2);
  const first = jwks('http://127.0.0.1:3001');
  expect(jwks('http://127.0.0.1:3001')).toBe(first);
  jwks('http://127.0.0.1:3002');
  jwks('http://127.0.0.1:3003');
  // The least recently used origin was let go: asking for it again builds a new key set.
  expect(jwks('http://127.0.0.1:3001')).not.toBe(first);
});
