import type { RedisClient } from './redis-client.ts';
import { createSubjectThrottle } from './subject-throttle.ts';
import type { SubjectSteps } from './subject-throttle.ts';
import type { ThrottleLimits } from './throttle-policy.ts';
import { reserveAttemptScript, settleFailureScript } from './throttle-scripts.ts';
import { busyAnswer, lockAnswer } from './throttle-verdict.ts';

/** What is throttled: the username typed and the client's IP address. */
export interface LoginAttempt {
  readonly username: string;
  readonly ip: string;
}

/** Which subjects refuse attempts right now. */
export type ThrottleSubject = 'username' | 'ip';

/** An attempt refused: how many seconds to wait, and which subjects refuse it. */
export interface ThrottleRefusal {
  readonly allowed: false;
  readonly retryAfter: number;
  readonly lockedBy: readonly ThrottleSubject[];
}

/** Whether a new attempt would be refused now. */
export type ThrottleDecision = { readonly allowed: true } | ThrottleRefusal;

/** The answer to {@link LoginThrottle.reserve}: the attempt's reservation, or a refusal. */
export type ThrottleVerdict = { readonly allowed: true; readonly reservation: string } | ThrottleRefusal;

/** The outcome of a recorded failure, enough for the caller to log an event. */
export interface FailureRecord {
  /** Failures within the window after this one. */
  readonly failures: { readonly username: number; readonly ip: number };
  /** Whether a next attempt would meet a lock now; when so, for how long. */
  readonly decision: ThrottleDecision;
}

/**
 * Brute-force protection for logins, shared by every instance through Redis.
 *
 * Contract, for every implementation: `reserve` decides and reserves in one atomic step, for
 * every instance on the same storage. An attempt is refused while a subject (the username, the
 * address) is locked, and also while the attempts already reserved for it could, were they all to
 * fail, reach a back-off: so of a burst no more attempts are checked than of the same attempts
 * in a sequence — the free failures and the one that sets the back-off. Each reservation is
 * settled once: `recordFailure` counts it, `recordSuccess` and `release` do not.
 */
export interface LoginThrottle {
  /** Call before verifying a password; when not allowed, refuse without verifying or recording. */
  reserve(attempt: LoginAttempt): Promise<ThrottleVerdict>;
  /** The reserved attempt failed: counts it against the username and the IP, and locks them per the policy. */
  recordFailure(attempt: LoginAttempt, reservation: string): Promise<FailureRecord>;
  /**
   * The reserved attempt succeeded: forgets the username's failures. The IP's are kept (not
   * counting this one): otherwise an attacker could clear them by signing in to an account of
   * their own between guesses.
   */
  recordSuccess(attempt: LoginAttempt, reservation: string): Promise<void>;
  /** The reserved attempt was not checked after all (an error): ends it without counting it. */
  release(attempt: LoginAttempt, reservation: string): Promise<void>;
}

/** Options of {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  readonly redis: RedisClient;
  /** Prefix of every key (REDIS_KEY_PREFIX); counters live under `<prefix>throttle:`. */
  readonly prefix: string;
  /** Per-subject limits; defaults in {@link DEFAULT_THROTTLE_LIMITS}. */
  readonly limits?: { readonly username?: Partial<ThrottleLimits>; readonly ip?: Partial<ThrottleLimits> };
  /**
   * Seconds after which a reservation that was never settled (its instance stopped) no longer
   * holds a place; default 30, well beyond the time a password check takes.
   */
  readonly lease?: number;
}

/** Default of {@link LoginThrottleOptions.lease}, in seconds. */
export const DEFAULT_RESERVATION_LEASE = 30;

/**
 * Creates the login throttle; throws at once when the limits are unusable.
 *
 * @example
 * const verdict = await throttle.reserve({ username, ip: ctx.ip });
 * if (!verdict.allowed) ctx.set('Retry-After', String(verdict.retryAfter));
 */
export function createLoginThrottle({ redis, prefix, limits, lease = DEFAULT_RESERVATION_LEASE }: LoginThrottleOptions): LoginThrottle {
  const steps: SubjectSteps = {
    async reserve(keys, subjectLimits, reservation) {
      const [state = 0, a = 0, b = 0] = (await reserveAttemptScript(
        redis,
        [keys.failures, keys.lock, keys.pending],
        [reservation, lease * 1000, subjectLimits.freeFailures],
      )) as number[];
      if (state === 0) return lockAnswer(a);
      return state === 1 ? busyAnswer(a, b, subjectLimits) : { refused: false };
    },
    lockLeft: (key) => redis.pttl(key),
    async fail(keys, { window, freeFailures, baseDelay, maxDelay }, reservation) {
      const [failures = 0, lock = 0] = (await settleFailureScript(
        redis,
        [keys.failures, keys.lock, keys.pending],
        [reservation, window, freeFailures, baseDelay, maxDelay],
      )) as number[];
      return { failures, lock };
    },
    async release(key, reservation) {
      await redis.zrem(key, reservation);
    },
    async forget(keys) {
      await redis.del(keys.failures, keys.lock);
    },
  };
  return createSubjectThrottle({ prefix, limits, steps });
}
