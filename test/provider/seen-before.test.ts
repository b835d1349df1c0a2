import { randomBytes } from 'node:crypto';

import { createSeenBefore } from '../../src/provider/seen-before.ts';

const jwt = (): string => `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.${randomBytes(64).toString('base64url')}`;

test('a token is seen before from its second sighting on', () => {
  const seenBefore = createSeenBefore();
  const token = jwt();
  expect([seenBefore(token), seenBefore(token), seenBefore(token)]).toEqual([false, true, true]);
});

test('of 1,000 distinct tokens presented once each, none passes for one seen before; presented again, nearly all do (a few share a slot)', () => {
  const seenBefore = createSeenBefore();
  const tokens = Array.from({ length: 1000 }, jwt);
  expect(tokens.filter((token) => seenBefore(token))).toEqual([]);
  expect(tokens.filter((token) => seenBefore(token)).length).toBeGreaterThan(900);
});
