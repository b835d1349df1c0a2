import type { RedisClient } from './redis-client.ts';
import { redisScript } from './redis-script.ts';
import { throttleKeys } from './throttle-keys.ts';
import type { SubjectKeys } from './throttle-keys.ts';
import { checkThrottleLimits, DEFAULT_THROTTLE_LIMITS, throttlePolicy } from './throttle-policy.ts';
import type { ThrottleLimits } from './throttle-policy.ts';

/** What is throttled: the username typed and the client's IP address. */
export interface LoginAttempt {
  readonly username: string;
  readonly ip: string;
}

/** Which subjects refuse attempts right now. */
export type ThrottleSubject = 'username' | 'ip';

/** Whether a login attempt may be checked now. */
export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfter: number; readonly lockedBy: readonly ThrottleSubject[] };

/** The outcome of a recorded failure, enough for the caller to log an event. */
export interface FailureRecord {
  /** Failures within the window after this one. */
  readonly failures: { readonly username: number; readonly ip: number };
  /** Whether the next attempt is allowed now; when not, for how long it is refused. */
  readonly decision: ThrottleDecision;
}

/** Brute-force protection for logins, shared by every instance through Redis. */
export interface LoginThrottle {
  /** Call before verifying a password; when not allowed, refuse without verifying or recording. */
  check(attempt: LoginAttempt): Promise<ThrottleDecision>;
  /** Counts a failed attempt against the username and the IP, and locks them per the policy. */
  recordFailure(attempt: LoginAttempt): Promise<FailureRecord>;
  /**
   * Forgets the username's failures. The IP's are kept: otherwise an attacker could clear
   * them by signing in to an account of their own between guesses.
   */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
}

/** Options of {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  readonly redis: RedisClient;
  /** Prefix of every key (REDIS_KEY_PREFIX); counters live under `<prefix>throttle:`. */
  readonly prefix: string;
  /** Per-subject limits; defaults in {@link DEFAULT_THROTTLE_LIMITS}. */
  readonly limits?: { readonly username?: Partial<ThrottleLimits>; readonly ip?: Partial<ThrottleLimits> };
}

/** KEYS: failures. ARGV: window seconds. Counts one failure and restarts the window, atomically. */
const countFailure = redisScript(`
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return count`);

/** KEYS: lock. ARGV: milliseconds. Sets the lock unless a longer one is already in place. */
const extendLock = redisScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`);

/**
 * Creates the login throttle; throws at once when the limits are unusable.
 *
 * @example
 * const verdict = await throttle.check({ username, ip: ctx.ip });
 * if (!verdict.allowed) ctx.set('Retry-After', String(verdict.retryAfter));
 */
export function createLoginThrottle({ redis, prefix, limits = {} }: LoginThrottleOptions): LoginThrottle {
  const resolved = {
    username: { ...DEFAULT_THROTTLE_LIMITS.username, ...limits.username },
    ip: { ...DEFAULT_THROTTLE_LIMITS.ip, ...limits.ip },
  };
  const problems = [...checkThrottleLimits('username', resolved.username), ...checkThrottleLimits('ip', resolved.ip)];
  if (problems.length) throw new Error(`invalid throttle limits: ${problems.join('; ')}`);
  const keysOf = ({ username, ip }: LoginAttempt) => ({ username: throttleKeys(prefix, 'username', username), ip: throttleKeys(prefix, 'ip', ip) });

  async function check(attempt: LoginAttempt): Promise<ThrottleDecision> {
    const keys = keysOf(attempt);
    const [username, ip] = await Promise.all([redis.pttl(keys.username.lock), redis.pttl(keys.ip.lock)]);
    const lockedBy = ([['username', username], ['ip', ip]] as const).filter(([, ttl]) => ttl > 0).map(([subject]) => subject);
    if (!lockedBy.length) return { allowed: true };
    return { allowed: false, retryAfter: Math.ceil(Math.max(username, ip) / 1000), lockedBy };
  }

  async function fail(keys: SubjectKeys, subjectLimits: ThrottleLimits): Promise<number> {
    const failures = Number(await countFailure(redis, [keys.failures], [String(subjectLimits.window)]));
    const decision = throttlePolicy(failures, subjectLimits);
    if (!decision.allowed) await extendLock(redis, [keys.lock], [String(decision.retryAfter * 1000)]);
    return failures;
  }

  return {
    check,
    async recordFailure(attempt) {
      const keys = keysOf(attempt);
      const [username, ip] = await Promise.all([fail(keys.username, resolved.username), fail(keys.ip, resolved.ip)]);
      return { failures: { username, ip }, decision: await check(attempt) };
    },
    async recordSuccess(attempt) {
      const keys = keysOf(attempt).username;
      await redis.del(keys.failures, keys.lock);
    },
  };
}
