import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';

import { createLoginThrottle } from '../../src/accounts/login-throttle.ts';
import type { LoginThrottle } from '../../src/accounts/login-throttle.ts';
import { ipSubject, throttleKeys } from '../../src/accounts/throttle-keys.ts';
import { fail, loginThrottleContract } from './login-throttle-contract.ts';

const one = new Redis(process.env.REDIS_URL!);
const two = new Redis(process.env.REDIS_URL!);
const LIMITS = { username: { freeFailures: 3, baseDelay: 10, maxDelay: 60, window: 600 }, ip: { freeFailures: 5, baseDelay: 20, maxDelay: 300, window: 600 } };
let run = 0;
let prefix: string;
let a: LoginThrottle;
let b: LoginThrottle;

loginThrottleContract('Redis standalone', async ({ limits, lease }) => ({
  throttle: createLoginThrottle({ redis: one, prefix: `test-accounts-throttle-contract:${++run}:`, limits, ...(lease ? { lease } : {}) }),
  advance: (ms) => sleep(ms),
}));

beforeEach(() => {
  prefix = `test-accounts-throttle:${++run}:`;
  a = createLoginThrottle({ redis: one, prefix, limits: LIMITS });
  b = createLoginThrottle({ redis: two, prefix, limits: LIMITS });
});
afterAll(() => Promise.all([one.quit(), two.quit()]));

test('two instances on separate connections share the counters and the lock', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  const counted = [];
  for (let i = 0; i < 4; i++) counted.push((await fail(i % 2 ? b : a, attempt)).failures);
  expect(counted).toEqual([1, 2, 3, 4].map((n) => ({ username: n, ip: n })));
  expect(await a.reserve(attempt)).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
  expect(await b.reserve({ username: 'ALICE ', ip: '198.51.100.7' })).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
});

test('a burst split across two instances is let through no further than on one', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve(attempt)));
  expect(verdicts.filter((v) => v.allowed)).toHaveLength(4);
  expect(verdicts.filter((v) => !v.allowed)).toEqual(Array(36).fill({ allowed: false, retryAfter: 10, lockedBy: ['username'] }));
});

test('the failure counter expires a window after the last failure; locks expire after their delay', async () => {
  await fail(a, { username: 'alice', ip: '192.0.2.1' });
  const keys = throttleKeys(prefix, 'username', 'alice');
  expect(await one.ttl(keys.failures)).toBe(600);
  expect(await one.exists(keys.lock)).toBe(0);
  const quick = createLoginThrottle({ redis: one, prefix: `${prefix}quick:`, limits: { username: { freeFailures: 0, baseDelay: 1, maxDelay: 1, window: 1 } } });
  expect((await fail(quick, { username: 'carol', ip: '192.0.2.9' })).decision).toEqual({ allowed: false, retryAfter: 1, lockedBy: ['username'] });
  await sleep(1100);
  expect((await fail(quick, { username: 'carol', ip: '192.0.2.9' })).failures.username).toBe(1);
});

test('reservations in flight are kept with the subject, lapse with their lease, and are gone once settled', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  const verdict = await a.reserve(attempt);
  if (!verdict.allowed) throw new Error('refused');
  const keys = throttleKeys(prefix, 'username', 'alice');
  expect(await one.zrange(keys.pending, 0, -1)).toEqual([verdict.reservation]);
  expect(await one.pttl(keys.pending)).toBeGreaterThan(29_000);
  expect(await one.pttl(keys.pending)).toBeLessThanOrEqual(30_000);
  await a.recordFailure(attempt, verdict.reservation);
  expect(await one.exists(keys.pending, throttleKeys(prefix, 'ip', '192.0.2.1').pending)).toBe(0);
});

test('a lock is never shortened by a later, shorter delay', async () => {
  const keys = throttleKeys(prefix, 'username', 'alice');
  await one.set(keys.lock, '1', 'EX', 500);
  // Failures settled while the lock holds (reserved before it was set).
  for (let i = 0; i < 4; i++) await a.recordFailure({ username: 'alice', ip: '192.0.2.1' }, `reservation-${i}`);
  expect(await one.ttl(keys.lock)).toBeGreaterThan(490);
});

test('keys hold no username or address and share a hash tag per subject', () => {
  const keys = throttleKeys('p:', 'username', 'Alice');
  expect(keys).toEqual(throttleKeys('p:', 'username', ' alice'));
  expect(keys.failures).toMatch(/^p:throttle:\{username:[A-Za-z0-9_-]{22}\}:failures$/);
  expect(keys.lock).toBe(keys.failures.replace(/failures$/, 'lock'));
  expect(keys.pending).toBe(keys.failures.replace(/failures$/, 'pending'));
  expect(throttleKeys('p:', 'ip', 'alice').lock).not.toBe(keys.lock);
});

test('client addresses: IPv4 and IPv4-mapped as is, IPv6 as its /64', () => {
  expect(ipSubject('192.0.2.1')).toBe('192.0.2.1');
  expect(ipSubject('::ffff:192.0.2.1')).toBe('192.0.2.1');
  expect(ipSubject('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
  expect(ipSubject('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
  expect(ipSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(ipSubject('::1')).toBe('0:0:0:0::/64');
  expect(ipSubject('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  expect(ipSubject('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
});
