import { createMemoryLoginThrottle } from '../../src/accounts/memory-login-throttle.ts';
import type { ThrottleEntry } from '../../src/accounts/memory-login-throttle.ts';
import { throttleKeys } from '../../src/accounts/throttle-keys.ts';
import type { LoginThrottle } from '../../src/accounts/login-throttle.ts';

const LIMITS = { username: { freeFailures: 3, baseDelay: 10, maxDelay: 60, window: 600 }, ip: { freeFailures: 5, baseDelay: 20, maxDelay: 300, window: 600 } };
let clock: number;
let throttle: LoginThrottle;
const attempt = { username: 'alice', ip: '192.0.2.1' };

beforeEach(() => {
  clock = 1_700_000_000_000;
  throttle = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock });
});

test('failures are counted per username and per address; the username locks after its free failures', async () => {
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 2, ip: 2 }, decision: { allowed: true } });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 3, ip: 3 }, decision: { allowed: true } });
  expect(await throttle.check(attempt)).toEqual({ allowed: true });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 4, ip: 4 }, decision: { allowed: false, retryAfter: 10, lockedBy: ['username'] } });
  expect(await throttle.check({ username: 'ALICE ', ip: '198.51.100.7' })).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
  expect(await throttle.check({ username: 'bob', ip: '192.0.2.1' })).toEqual({ allowed: true });
  clock += 4_500;
  expect(await throttle.check(attempt)).toEqual({ allowed: false, retryAfter: 6, lockedBy: ['username'] });
  clock += 5_500;
  expect(await throttle.check(attempt)).toEqual({ allowed: true });
});

test('the delay doubles and the longer of the two locks is reported', async () => {
  for (let i = 0; i < 5; i++) await throttle.recordFailure(attempt);
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 6, ip: 6 }, decision: { allowed: false, retryAfter: 40, lockedBy: ['username', 'ip'] } });
});

test('the counter is forgotten a window after the last failure, not the first', async () => {
  await throttle.recordFailure(attempt);
  clock += 599_000;
  expect((await throttle.recordFailure(attempt)).failures.username).toBe(2);
  clock += 599_000;
  expect((await throttle.recordFailure(attempt)).failures.username).toBe(3);
  clock += 600_000;
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
});

test('a success forgets the username failures but not the address ones', async () => {
  for (let i = 0; i < 4; i++) await throttle.recordFailure(attempt);
  await throttle.recordSuccess(attempt);
  expect(await throttle.check(attempt)).toEqual({ allowed: true });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 1, ip: 5 }, decision: { allowed: true } });
  expect(await throttle.recordFailure(attempt)).toEqual({ failures: { username: 2, ip: 6 }, decision: { allowed: false, retryAfter: 20, lockedBy: ['ip'] } });
  await throttle.recordSuccess(attempt);
  expect(await throttle.check({ username: 'bob', ip: '192.0.2.1' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
});

test('an address locks across usernames; an IPv6 client counts as its /64', async () => {
  for (let i = 0; i < 6; i++) await throttle.recordFailure({ username: `user${i}`, ip: `2001:db8:1:2::${i + 1}` });
  expect(await throttle.check({ username: 'someone', ip: '2001:db8:1:2:ffff::9' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
  expect(await throttle.check({ username: 'someone', ip: '2001:db8:1:3::1' })).toEqual({ allowed: true });
  expect(await throttle.check({ username: 'someone', ip: '::ffff:192.0.2.1' })).toEqual({ allowed: true });
});

test('a lock is never shortened by a later, shorter delay', async () => {
  const entries = new Map<string, ThrottleEntry>();
  const locked = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock, entries });
  const lock = throttleKeys('', 'username', 'alice').lock;
  entries.set(lock, { value: 1, expiresAt: clock + 500_000 });
  for (let i = 0; i < 4; i++) await locked.recordFailure(attempt);
  expect(entries.get(lock)).toEqual({ value: 1, expiresAt: clock + 500_000 });
  expect(await locked.check(attempt)).toEqual({ allowed: false, retryAfter: 500, lockedBy: ['username'] });
});

test('memory stays bounded: expired counters and locks are swept', async () => {
  const entries = new Map<string, ThrottleEntry>();
  const swept = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock, entries });
  let most = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 4_000; i++) {
      await swept.recordFailure({ username: `u${round}-${i}`, ip: `10.${round}.${i >> 8}.${i & 255}` });
      most = Math.max(most, entries.size);
    }
    clock += 601_000;
  }
  // 20 000 usernames and 20 000 addresses were seen, one failure each (two counters per attempt);
  // what outlived its window was dropped along the way.
  expect(most).toBeLessThanOrEqual(2 * 8_000);
  expect(entries.size).toBeLessThanOrEqual(2 * 8_000);
  expect(await swept.check({ username: 'u0-0', ip: '10.0.0.0' })).toEqual({ allowed: true });
});

test('unusable limits are refused when the throttle is created', () => {
  expect(() => createMemoryLoginThrottle({ limits: { ip: { window: 10 } } }))
    .toThrow(new Error('invalid throttle limits: ip.window: must be at least maxDelay (600)'));
});
