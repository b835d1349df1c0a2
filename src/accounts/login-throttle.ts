import type { RedisClient } from './redis-client.ts';
import { throttleKeys } from './throttle-keys.ts';
import type { SubjectKeys } from './throttle-keys.ts';
import { resolveThrottleLimits } from './throttle-policy.ts';
import type { ThrottleLimits } from './throttle-policy.ts';
import { reserveAttemptScript, settleFailureScript } from './throttle-scripts.ts';
import { busyAnswer, lockAnswer, lockDecision, newReservation, verdictOf } from './throttle-verdict.ts';
import type { SubjectAnswer } from './throttle-verdict.ts';

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
  const resolved = resolveThrottleLimits(limits);
  const keysOf = ({ username, ip }: LoginAttempt) => ({ username: throttleKeys(prefix, 'username', username), ip: throttleKeys(prefix, 'ip', ip) });

  async function reserveOne(keys: SubjectKeys, subjectLimits: ThrottleLimits, reservation: string): Promise<SubjectAnswer> {
    const [state = 0, a = 0, b = 0] = await reserveAttemptScript(redis, [keys.failures, keys.lock, keys.pending],
      [reservation, String(lease * 1000), String(subjectLimits.freeFailures)]) as number[];
    if (state === 0) return lockAnswer(a);
    return state === 1 ? busyAnswer(a, b, subjectLimits) : { refused: false };
  }

  async function fail(keys: SubjectKeys, { window, freeFailures, baseDelay, maxDelay }: ThrottleLimits, reservation: string) {
    const [failures = 0, lock = 0] = await settleFailureScript(redis, [keys.failures, keys.lock, keys.pending],
      [reservation, ...[window, freeFailures, baseDelay, maxDelay].map(String)]) as number[];
    return { failures, lock };
  }

  const release = async (attempt: LoginAttempt, reservation: string): Promise<void> => {
    const keys = keysOf(attempt);
    await Promise.all([redis.zrem(keys.username.pending, reservation), redis.zrem(keys.ip.pending, reservation)]);
  };

  return {
    async reserve(attempt) {
      const keys = keysOf(attempt);
      const reservation = newReservation();
      // The subjects sit in different hash slots, so each is reserved in a step of its own: the
      // username first (with a look at the address's lock), then the address. A place taken on the
      // username is given back when the address refuses.
      const [username, ipLock] = await Promise.all([reserveOne(keys.username, resolved.username, reservation), redis.pttl(keys.ip.lock)]);
      const ip = username.refused || ipLock > 0 ? lockAnswer(ipLock) : await reserveOne(keys.ip, resolved.ip, reservation);
      const verdict = verdictOf({ username, ip }, reservation);
      if (!verdict.allowed && !username.refused) await redis.zrem(keys.username.pending, reservation);
      return verdict;
    },
    async recordFailure(attempt, reservation) {
      const keys = keysOf(attempt);
      const [username, ip] = await Promise.all([fail(keys.username, resolved.username, reservation), fail(keys.ip, resolved.ip, reservation)]);
      return { failures: { username: username.failures, ip: ip.failures }, decision: lockDecision({ username: username.lock, ip: ip.lock }) };
    },
    async recordSuccess(attempt, reservation) {
      const keys = keysOf(attempt);
      await Promise.all([redis.del(keys.username.failures, keys.username.lock), release(attempt, reservation)]);
    },
    release,
  };
}
