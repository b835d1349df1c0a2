import type { FailureRecord, LoginAttempt, LoginThrottle, LoginThrottleOptions } from './login-throttle.ts';
import { throttleKeys } from './throttle-keys.ts';
import type { SubjectKeys } from './throttle-keys.ts';
import { resolveThrottleLimits } from './throttle-policy.ts';
import type { ThrottleLimits } from './throttle-policy.ts';
import { lockAnswer, lockDecision, newReservation, verdictOf } from './throttle-verdict.ts';
import type { SubjectAnswer } from './throttle-verdict.ts';

/**
 * What a storage does for one throttled subject (a username or an address). Each step is atomic
 * on its own (a Lua script, or a synchronous step in memory); the subjects sit apart (in Redis,
 * in different hash slots), so {@link createSubjectThrottle} runs the steps of both in an order
 * that keeps the LoginThrottle contract without a step spanning the two.
 */
export interface SubjectSteps {
  /** Refuses while the subject is locked or too many attempts are in flight; otherwise holds a place for `reservation`. */
  reserve(keys: SubjectKeys, limits: ThrottleLimits, reservation: string): Promise<SubjectAnswer>;
  /** Milliseconds left on the lock at `key` (0 or less when none). */
  lockLeft(key: string): Promise<number>;
  /** Counts a failure (restarting the window), locks per the policy unless a longer lock holds, and ends the reservation. */
  fail(keys: SubjectKeys, limits: ThrottleLimits, reservation: string): Promise<{ failures: number; lock: number }>;
  /** Ends `reservation` on the pending set at `key` without counting it. */
  release(key: string, reservation: string): Promise<void>;
  /** Forgets the subject's failures and lock. */
  forget(keys: SubjectKeys): Promise<void>;
}

/** Options of {@link createSubjectThrottle}. */
export interface SubjectThrottleOptions {
  /** Prefix of the subjects' keys. */
  readonly prefix: string;
  readonly limits?: LoginThrottleOptions['limits'];
  readonly steps: SubjectSteps;
}

/** The LoginThrottle over a storage's {@link SubjectSteps}; throws at once when the limits are unusable. */
export function createSubjectThrottle({ prefix, limits, steps }: SubjectThrottleOptions): LoginThrottle {
  const resolved = resolveThrottleLimits(limits);
  const keysOf = ({ username, ip }: LoginAttempt) => ({ username: throttleKeys(prefix, 'username', username), ip: throttleKeys(prefix, 'ip', ip) });

  const release = async (attempt: LoginAttempt, reservation: string): Promise<void> => {
    const keys = keysOf(attempt);
    await Promise.all([steps.release(keys.username.pending, reservation), steps.release(keys.ip.pending, reservation)]);
  };

  return {
    async reserve(attempt) {
      const keys = keysOf(attempt);
      const reservation = newReservation();
      // The username first (with a look at the address's lock), then the address. A place taken on
      // the username is given back when the address refuses.
      const [username, ipLock] = await Promise.all([steps.reserve(keys.username, resolved.username, reservation), steps.lockLeft(keys.ip.lock)]);
      const ip = username.refused || ipLock > 0 ? lockAnswer(ipLock) : await steps.reserve(keys.ip, resolved.ip, reservation);
      const verdict = verdictOf({ username, ip }, reservation);
      if (!verdict.allowed && !username.refused) await steps.release(keys.username.pending, reservation);
      return verdict;
    },
    async recordFailure(attempt, reservation): Promise<FailureRecord> {
      const keys = keysOf(attempt);
      const [username, ip] = await Promise.all([steps.fail(keys.username, resolved.username, reservation), steps.fail(keys.ip, resolved.ip, reservation)]);
      return { failures: { username: username.failures, ip: ip.failures }, decision: lockDecision({ username: username.lock, ip: ip.lock }) };
    },
    async recordSuccess(attempt, reservation) {
      await Promise.all([steps.forget(keysOf(attempt).username), release(attempt, reservation)]);
    },
    release,
  };
}
