import { checkThrottleLimits, DEFAULT_THROTTLE_LIMITS, mayStart, throttlePolicy } from '../../src/accounts/throttle-policy.ts';

const limits = { freeFailures: 3, baseDelay: 2, maxDelay: 60, window: 600 };

test('failures up to freeFailures are free', () => {
  for (const failures of [0, 1, 2, 3]) expect(throttlePolicy(failures, limits)).toEqual({ allowed: true });
});

test('then the delay doubles from baseDelay with each failure, capped at maxDelay', () => {
  expect([4, 5, 6, 7, 8, 9, 10, 1000].map((failures) => throttlePolicy(failures, limits))).toEqual(
    [2, 4, 8, 16, 32, 60, 60, 60].map((retryAfter) => ({ allowed: false, retryAfter })),
  );
});

test('with no free failures the first failure already delays', () => {
  expect(throttlePolicy(1, { ...limits, freeFailures: 0 })).toEqual({ allowed: false, retryAfter: 2 });
});

test('the defaults: a username locks after 5 failures, an IP after 50', () => {
  expect(DEFAULT_THROTTLE_LIMITS).toEqual({
    username: { freeFailures: 5, baseDelay: 2, maxDelay: 900, window: 3600 },
    ip: { freeFailures: 50, baseDelay: 1, maxDelay: 600, window: 3600 },
  });
  expect(throttlePolicy(5, DEFAULT_THROTTLE_LIMITS.username)).toEqual({ allowed: true });
  expect(throttlePolicy(6, DEFAULT_THROTTLE_LIMITS.username)).toEqual({ allowed: false, retryAfter: 2 });
  expect(throttlePolicy(20, DEFAULT_THROTTLE_LIMITS.username)).toEqual({ allowed: false, retryAfter: 900 });
});

test('limits are checked, every problem named', () => {
  expect(checkThrottleLimits('username', DEFAULT_THROTTLE_LIMITS.username)).toEqual([]);
  expect(checkThrottleLimits('ip', { freeFailures: -1, baseDelay: 0.5, maxDelay: 100, window: 50 })).toEqual([
    'ip.freeFailures: must be a whole number of at least 0',
    'ip.baseDelay: must be a whole number of at least 1',
    'ip.window: must be at least maxDelay (100)',
  ]);
  expect(checkThrottleLimits('username', { ...limits, baseDelay: 61 })).toEqual(['username.baseDelay: must not exceed maxDelay (60)']);
});

test('attempts in flight: another may start only while, were they all to fail, no back-off would hold yet', () => {
  // freeFailures 3: of a burst, four are checked (three free failures and the one that sets the back-off).
  expect([0, 1, 2, 3, 4, 5].map((pending) => mayStart(0, pending, limits))).toEqual([true, true, true, true, false, false]);
  expect([0, 1, 2].map((pending) => mayStart(2, pending, limits))).toEqual([true, true, false]);
  // Past the free failures, one attempt at a time (each after the back-off the last one set).
  expect([0, 1].map((pending) => mayStart(9, pending, limits))).toEqual([true, false]);
  expect([0, 1].map((pending) => mayStart(0, pending, { ...limits, freeFailures: 0 }))).toEqual([true, false]);
});
