import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';

import { createLoginThrottle } from '../../src/accounts/login-throttle.ts';
import type { LoginThrottle } from '../../src/accounts/login-throttle.ts';
import { ipSubject, throttleKeys } from '../../src/accounts/throttle-keys.ts';

const one = new Redis(process.env.REDIS_URL!);
const two = new Redis(process.env.REDIS_URL!);
const LIMITS = { username: { freeFailures: 3, baseDelay: 10, maxDelay: 60, window: 600 }, ip: { freeFailures: 5, baseDelay: 20, maxDelay: 300, window: 600 } };
let run = 0;
let prefix: string;
let a: LoginThrottle;
let b: LoginThrottle;

beforeEach(() => {
  prefix = `test-accounts-throttle:${++run}:`;
  a = createLoginThrottle({ redis: one, prefix, limits: LIMITS });
  b = createLoginThrottle({ redis: two, prefix, limits: LIMITS });
});
afterAll(() => Promise.all([one.quit(), two.quit()]));

test('two instances on separate connections share the counters and the lock', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  expect(await a.recordFailure(attempt)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
  expect(await b.recordFailure(attempt)).toEqual({ failures: { username: 2, ip: 2 }, decision: { allowed: true } });
  expect(await a.recordFailure(attempt)).toEqual({ failures: { username: 3, ip: 3 }, decision: { allowed: true } });
  expect(await b.check(attempt)).toEqual({ allowed: true });
  expect(await b.recordFailure(attempt)).toEqual({ failures: { username: 4, ip: 4 }, decision: { allowed: false, retryAfter: 10, lockedBy: ['username'] } });
  expect(await a.check(attempt)).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
  expect(await b.check({ username: 'ALICE ', ip: '198.51.100.7' })).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
  expect(await a.check({ username: 'bob', ip: '192.0.2.1' })).toEqual({ allowed: true });
});

test('the delay doubles and the longer of the two locks is reported', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  for (let i = 0; i < 5; i++) await a.recordFailure(attempt);
  expect(await b.recordFailure(attempt)).toEqual({ failures: { username: 6, ip: 6 }, decision: { allowed: false, retryAfter: 40, lockedBy: ['username', 'ip'] } });
});

test('the failure counter expires a window after the last failure; locks expire after their delay', async () => {
  await a.recordFailure({ username: 'alice', ip: '192.0.2.1' });
  const keys = throttleKeys(prefix, 'username', 'alice');
  expect(await one.ttl(keys.failures)).toBe(600);
  expect(await one.exists(keys.lock)).toBe(0);
  const quick = createLoginThrottle({ redis: one, prefix: `${prefix}quick:`, limits: { username: { freeFailures: 0, baseDelay: 1, maxDelay: 1, window: 1 } } });
  expect((await quick.recordFailure({ username: 'carol', ip: '192.0.2.9' })).decision).toEqual({ allowed: false, retryAfter: 1, lockedBy: ['username'] });
  await sleep(1100);
  expect(await quick.check({ username: 'carol', ip: '192.0.2.9' })).toEqual({ allowed: true });
  expect((await quick.recordFailure({ username: 'carol', ip: '192.0.2.9' })).failures.username).toBe(1);
});

test('a success forgets the username failures but not the IP ones', async () => {
  const attempt = { username: 'alice', ip: '192.0.2.1' };
  for (let i = 0; i < 4; i++) await a.recordFailure(attempt);
  await b.recordSuccess(attempt);
  expect(await a.check(attempt)).toEqual({ allowed: true });
  expect(await a.recordFailure(attempt)).toEqual({ failures: { username: 1, ip: 5 }, decision: { allowed: true } });
  expect(await a.recordFailure(attempt)).toEqual({ failures: { username: 2, ip: 6 }, decision: { allowed: false, retryAfter: 20, lockedBy: ['ip'] } });
  await a.recordSuccess(attempt);
  expect(await b.check({ username: 'bob', ip: '192.0.2.1' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
});

test('an IP locks across usernames; an IPv6 client counts as its /64', async () => {
  for (let i = 0; i < 6; i++) await a.recordFailure({ username: `user${i}`, ip: `2001:db8:1:2::${i + 1}` });
  expect(await b.check({ username: 'someone', ip: '2001:db8:1:2:ffff::9' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
  expect(await b.check({ username: 'someone', ip: '2001:db8:1:3::1' })).toEqual({ allowed: true });
});

test('a lock is never shortened by a later, shorter delay', async () => {
  const keys = throttleKeys(prefix, 'username', 'alice');
  await one.set(keys.lock, '1', 'EX', 500);
  for (let i = 0; i < 4; i++) await a.recordFailure({ username: 'alice', ip: '192.0.2.1' });
  expect(await one.ttl(keys.lock)).toBeGreaterThan(490);
});

test('keys hold no username or address and share a hash tag per subject', () => {
  const keys = throttleKeys('p:', 'username', 'Alice');
  expect(keys).toEqual(throttleKeys('p:', 'username', ' alice'));
  expect(keys.failures).toMatch(/^p:throttle:\{username:[A-Za-z0-9_-]{22}\}:failures$/);
  expect(keys.lock).toBe(keys.failures.replace(/failures$/, 'lock'));
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

test('unusable limits are refused when the throttle is created', () => {
  expect(() => createLoginThrottle({ redis: one, prefix, limits: { ip: { window: 10 } } }))
    .toThrow(new Error('invalid throttle limits: ip.window: must be at least maxDelay (600)'));
});
