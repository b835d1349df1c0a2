import type { FailureRecord, LoginAttempt, LoginThrottle, LoginThrottleOptions } from '../../src/accounts/login-throttle.ts';
import { throttlePolicy } from '../../src/accounts/throttle-policy.ts';

/** How a contract test wants its throttle. */
export interface ThrottleSetup {
  readonly limits: NonNullable<LoginThrottleOptions['limits']>;
  readonly lease?: number;
}

/** A fresh throttle on empty storage for one test, and a way to let time pass for it. */
export interface ThrottleSubjectUnderTest {
  readonly throttle: LoginThrottle;
  /** Lets `ms` milliseconds pass (a clock for memory, real time for Redis). */
  advance(ms: number): Promise<void>;
}

const LIMITS = { username: { freeFailures: 3, baseDelay: 10, maxDelay: 60, window: 600 }, ip: { freeFailures: 5, baseDelay: 20, maxDelay: 300, window: 600 } };
const alice = { username: 'alice', ip: '192.0.2.1' };

/** Reserves `attempt`, which must be allowed, and records it as failed. */
export async function fail(throttle: LoginThrottle, attempt: LoginAttempt): Promise<FailureRecord> {
  const verdict = await throttle.reserve(attempt);
  if (!verdict.allowed) throw new Error(`refused: ${JSON.stringify(verdict)}`);
  return throttle.recordFailure(attempt, verdict.reservation);
}

/** `count` reservations of `attempt` at once; resolves the reservations made and the refusals. */
async function burst(throttle: LoginThrottle, attempt: LoginAttempt, count: number) {
  const verdicts = await Promise.all(Array.from({ length: count }, () => throttle.reserve(attempt)));
  return {
    reserved: verdicts.flatMap((v) => (v.allowed ? [v.reservation] : [])),
    refused: verdicts.filter((v) => !v.allowed),
  };
}

/** The LoginThrottle contract: every implementation runs this suite against its real storage. */
export function loginThrottleContract(name: string, fresh: (setup: ThrottleSetup) => Promise<ThrottleSubjectUnderTest>): void {
  describe(`LoginThrottle contract: ${name}`, () => {
    let throttle: LoginThrottle;
    beforeEach(async () => ({ throttle } = await fresh({ limits: LIMITS })));

    test('in a sequence the free failures and the one that sets the back-off are checked, then the lock refuses', async () => {
      expect(await fail(throttle, alice)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
      expect(await fail(throttle, alice)).toEqual({ failures: { username: 2, ip: 2 }, decision: { allowed: true } });
      expect(await fail(throttle, alice)).toEqual({ failures: { username: 3, ip: 3 }, decision: { allowed: true } });
      expect(await fail(throttle, alice)).toEqual({ failures: { username: 4, ip: 4 }, decision: { allowed: false, retryAfter: 10, lockedBy: ['username'] } });
      expect(await throttle.reserve(alice)).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
      expect(await throttle.reserve({ username: 'ALICE ', ip: '198.51.100.7' })).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
      expect(await throttle.reserve({ username: 'bob', ip: '192.0.2.1' })).toEqual({ allowed: true, reservation: expect.stringMatching(/^[\w-]{16}$/) });
    });

    test('the delay doubles and the longer of the two locks is reported', async () => {
      const { throttle: quick, advance } = await fresh({ limits: { ...LIMITS, username: { ...LIMITS.username, baseDelay: 1 } } });
      for (let i = 0; i < 4; i++) await fail(quick, alice);
      await advance(1100);
      await fail(quick, alice);
      await advance(2100);
      expect(await fail(quick, alice)).toEqual({
        failures: { username: 6, ip: 6 },
        decision: { allowed: false, retryAfter: 20, lockedBy: ['username', 'ip'] },
      });
      expect(await quick.reserve(alice)).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['username', 'ip'] });
    });

    test('of a burst no more are let through than of a sequence: the free failures and the one that sets the back-off', async () => {
      const { reserved, refused } = await burst(throttle, alice, 40);
      expect(reserved).toHaveLength(4);
      expect(new Set(reserved).size).toBe(4);
      // They wait as long as the back-off the four would set by failing.
      expect(refused).toEqual(Array(36).fill({ allowed: false, retryAfter: 10, lockedBy: ['username'] }));
      // Attempts made while the four are being counted meet the same wait, never a longer one.
      const [records, during] = await Promise.all([
        Promise.all(reserved.map((r) => throttle.recordFailure(alice, r))),
        Promise.all(Array.from({ length: 8 }, () => throttle.reserve(alice))),
      ]);
      expect(records.map((r) => r.failures.username).sort()).toEqual([1, 2, 3, 4]);
      expect(during).toEqual(Array(8).fill({ allowed: false, retryAfter: 10, lockedBy: ['username'] }));
      expect(await throttle.reserve(alice)).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
    });

    test('a burst after some failures gets only the attempts a sequence has left', async () => {
      for (let i = 0; i < 3; i++) await fail(throttle, alice);
      const { reserved, refused } = await burst(throttle, alice, 20);
      expect(reserved).toHaveLength(1);
      expect(refused).toEqual(Array(19).fill({ allowed: false, retryAfter: 10, lockedBy: ['username'] }));
    });

    test('the address limit holds for a burst of different usernames', async () => {
      const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => throttle.reserve({ username: `user${i}`, ip: '192.0.2.1' })));
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(6);
      expect(verdicts.filter((v) => !v.allowed)).toEqual(Array(24).fill({ allowed: false, retryAfter: 20, lockedBy: ['ip'] }));
    });

    test('a place held by an attempt in flight is given back when it succeeds or is released, not counted', async () => {
      const first = await burst(throttle, alice, 10);
      expect(first.reserved).toHaveLength(4);
      await throttle.recordSuccess(alice, first.reserved[0]!);
      await throttle.release(alice, first.reserved[1]!);
      const second = await burst(throttle, alice, 10);
      expect(second.reserved).toHaveLength(2);
      for (const reservation of [...first.reserved.slice(2), ...second.reserved]) await throttle.release(alice, reservation);
      expect(await fail(throttle, alice)).toEqual({ failures: { username: 1, ip: 1 }, decision: { allowed: true } });
    });

    test('after a back-off has run out, one attempt at a time is checked', async () => {
      const { throttle: quick, advance } = await fresh({ limits: { username: { freeFailures: 0, baseDelay: 1, maxDelay: 1, window: 600 } } });
      expect((await fail(quick, alice)).decision).toEqual({ allowed: false, retryAfter: 1, lockedBy: ['username'] });
      expect(await quick.reserve(alice)).toEqual({ allowed: false, retryAfter: 1, lockedBy: ['username'] });
      await advance(1100);
      const { reserved, refused } = await burst(quick, alice, 10);
      expect(reserved).toHaveLength(1);
      expect(refused).toEqual(Array(9).fill({ allowed: false, retryAfter: 1, lockedBy: ['username'] }));
      expect((await quick.recordFailure(alice, reserved[0]!)).failures.username).toBe(2);
    });

    test('a reservation never settled stops holding its place after the lease', async () => {
      const { throttle: leased, advance } = await fresh({ limits: LIMITS, lease: 1 });
      expect((await burst(leased, alice, 10)).reserved).toHaveLength(4);
      expect(await leased.reserve(alice)).toEqual({ allowed: false, retryAfter: 10, lockedBy: ['username'] });
      await advance(1100);
      expect((await burst(leased, alice, 10)).reserved).toHaveLength(4);
    });

    test('an attempt refused by one subject holds no place on the other', async () => {
      for (let i = 0; i < 6; i++) await fail(throttle, { username: `user${i}`, ip: '192.0.2.1' });
      for (let i = 0; i < 10; i++) expect(await throttle.reserve(alice)).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
      expect((await burst(throttle, { username: 'alice', ip: '198.51.100.7' }, 10)).reserved).toHaveLength(4);
    });

    test('a success forgets the username failures but not the address ones, and is not counted against the address', async () => {
      for (let i = 0; i < 4; i++) await fail(throttle, alice);
      const lockedOut = await throttle.reserve(alice);
      expect(lockedOut.allowed).toBe(false);
      const other = { username: 'bob', ip: '192.0.2.1' };
      for (let i = 0; i < 10; i++) {
        const verdict = await throttle.reserve(other);
        if (!verdict.allowed) throw new Error('refused');
        await throttle.recordSuccess(other, verdict.reservation);
      }
      expect(await fail(throttle, other)).toEqual({ failures: { username: 1, ip: 5 }, decision: { allowed: true } });
      const verdict = await throttle.reserve({ username: 'carol', ip: '192.0.2.1' });
      if (!verdict.allowed) throw new Error('refused');
      await throttle.recordSuccess({ username: 'carol', ip: '192.0.2.1' }, verdict.reservation);
      expect(await fail(throttle, other)).toEqual({ failures: { username: 2, ip: 6 }, decision: { allowed: false, retryAfter: 20, lockedBy: ['ip'] } });
      expect(await throttle.reserve({ username: 'dave', ip: '192.0.2.1' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
    });

    test('an address locks across usernames; an IPv6 client counts as its /64', async () => {
      for (let i = 0; i < 6; i++) await fail(throttle, { username: `user${i}`, ip: `2001:db8:1:2::${i + 1}` });
      expect(await throttle.reserve({ username: 'someone', ip: '2001:db8:1:2:ffff::9' })).toEqual({ allowed: false, retryAfter: 20, lockedBy: ['ip'] });
      expect((await throttle.reserve({ username: 'someone', ip: '2001:db8:1:3::1' })).allowed).toBe(true);
      expect((await throttle.reserve({ username: 'someone', ip: '::ffff:192.0.2.1' })).allowed).toBe(true);
    });

    test('the lock a failure sets follows throttlePolicy, doubling and capped', async () => {
      const limits = { freeFailures: 3, baseDelay: 1, maxDelay: 60, window: 600 };
      ({ throttle } = await fresh({ limits: { username: limits } }));
      const locks: number[] = [];
      for (let n = 1; n <= 12; n++) {
        const { decision } = await throttle.recordFailure(alice, `reservation-${n}`);
        locks.push(decision.allowed ? 0 : decision.retryAfter);
      }
      expect(locks).toEqual(
        Array.from({ length: 12 }, (_, i) => {
          const decision = throttlePolicy(i + 1, limits);
          return decision.allowed ? 0 : decision.retryAfter;
        }),
      );
      expect(locks).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    });

    test('unusable limits are refused when the throttle is created', async () => {
      await expect(fresh({ limits: { ip: { window: 10 } } })).rejects.toThrow(new Error('invalid throttle limits: ip.window: must be at least maxDelay (600)'));
    });
  });
}
