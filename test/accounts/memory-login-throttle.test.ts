import { createMemoryLoginThrottle } from '../../src/accounts/memory-login-throttle.ts';
import type { ThrottleEntry } from '../../src/accounts/memory-login-throttle.ts';
import { throttleKeys } from '../../src/accounts/throttle-keys.ts';
import type { LoginThrottle } from '../../src/accounts/login-throttle.ts';
import { fail, loginThrottleContract } from './login-throttle-contract.ts';

const LIMITS = { username: { freeFailures: 3, baseDelay: 10, maxDelay: 60, window: 600 }, ip: { freeFailures: 5, baseDelay: 20, maxDelay: 300, window: 600 } };
let clock: number;
let throttle: LoginThrottle;
const attempt = { username: 'alice', ip: '192.0.2.1' };

loginThrottleContract('memory', async ({ limits, lease }) => {
  let time = 1_700_000_000_000;
  return {
    throttle: createMemoryLoginThrottle({ limits, now: () => time, ...(lease ? { lease } : {}) }),
    async advance(ms) {
      time += ms;
    },
  };
});

beforeEach(() => {
  clock = 1_700_000_000_000;
  throttle = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock });
});

test('a lock counts down with the clock', async () => {
  for (let i = 0; i < 4; i++) await fail(throttle, attempt);
  clock += 4_500;
  expect(await throttle.reserve(attempt)).toEqual({ allowed: false, retryAfter: 6, lockedBy: ['username'] });
  clock += 5_500;
  expect((await throttle.reserve(attempt)).allowed).toBe(true);
});

test('the counter is forgotten a window after the last failure, not the first', async () => {
  await fail(throttle, attempt);
  clock += 599_000;
  expect((await fail(throttle, attempt)).failures.username).toBe(2);
  clock += 599_000;
  expect((await fail(throttle, attempt)).failures.username).toBe(3);
  clock += 600_000;
  expect(await fail(throttle, attempt)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
});

test('a lock is never shortened by a later, shorter delay', async () => {
  const entries = new Map<string, ThrottleEntry>();
  const locked = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock, entries });
  const lock = throttleKeys('', 'username', 'alice').lock;
  entries.set(lock, { value: 1, expiresAt: clock + 500_000 });
  // Failures settled while the lock holds (reserved before it was set).
  for (let i = 0; i < 4; i++) await locked.recordFailure(attempt, `reservation-${i}`);
  expect(entries.get(lock)).toEqual({ value: 1, expiresAt: clock + 500_000 });
  expect(await locked.reserve(attempt)).toEqual({ allowed: false, retryAfter: 500, lockedBy: ['username'] });
});

test('memory stays bounded: expired counters and locks are swept', async () => {
  const entries = new Map<string, ThrottleEntry>();
  const swept = createMemoryLoginThrottle({ limits: LIMITS, now: () => clock, entries });
  let most = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 4_000; i++) {
      await fail(swept, { username: `u${round}-${i}`, ip: `10.${round}.${i >> 8}.${i & 255}` });
      most = Math.max(most, entries.size);
    }
    clock += 601_000;
  }
  // 20 000 usernames and 20 000 addresses were seen, one failure each (two counters per attempt);
  // what outlived its window was dropped along the way.
  expect(most).toBeLessThanOrEqual(2 * 8_000);
  expect(entries.size).toBeLessThanOrEqual(2 * 8_000);
  expect((await swept.reserve({ username: 'u0-0', ip: '10.0.0.0' })).allowed).toBe(true);
});
