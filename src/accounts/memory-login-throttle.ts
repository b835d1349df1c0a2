import type { FailureRecord, LoginAttempt, LoginThrottle, LoginThrottleOptions, ThrottleDecision } from './login-throttle.ts';
import { throttleKeys } from './throttle-keys.ts';
import type { SubjectKeys } from './throttle-keys.ts';
import { checkThrottleLimits, DEFAULT_THROTTLE_LIMITS, throttlePolicy } from './throttle-policy.ts';
import type { ThrottleLimits } from './throttle-policy.ts';

/** Options of {@link createMemoryLoginThrottle}. */
export interface MemoryLoginThrottleOptions {
  /** Per-subject limits; defaults in {@link DEFAULT_THROTTLE_LIMITS}. */
  readonly limits?: LoginThrottleOptions['limits'];
  /** Milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  /**
   * Where counters and locks are kept, by the same keys as in Redis (`throttleKeys` with an
   * empty prefix); a new empty map by default. Pass one in to look at it.
   */
  readonly entries?: Map<string, ThrottleEntry>;
}

/** A failure counter or a lock, and when it is forgotten (ms since the epoch). */
export interface ThrottleEntry {
  readonly value: number;
  readonly expiresAt: number;
}

/** Expired entries are swept when this many are held, then again at twice as many as remain. */
const SWEEP_AT = 10_000;

/**
 * The {@link LoginThrottle} in this process's memory, for a development Tessera without Redis:
 * the same policy, subjects (usernames normalised, IPv6 clients by /64) and answers as the Redis
 * throttle, but counted per process. Throws at once when the limits are unusable.
 *
 * @example
 * const throttle = createMemoryLoginThrottle({ limits: throttleLimits(config) });
 */
export function createMemoryLoginThrottle({ limits = {}, now = Date.now, entries = new Map() }: MemoryLoginThrottleOptions = {}): LoginThrottle {
  const resolved = {
    username: { ...DEFAULT_THROTTLE_LIMITS.username, ...limits.username },
    ip: { ...DEFAULT_THROTTLE_LIMITS.ip, ...limits.ip },
  };
  const problems = [...checkThrottleLimits('username', resolved.username), ...checkThrottleLimits('ip', resolved.ip)];
  if (problems.length) throw new Error(`invalid throttle limits: ${problems.join('; ')}`);
  let sweepAt = SWEEP_AT;
  const keysOf = ({ username, ip }: LoginAttempt) => ({ username: throttleKeys('', 'username', username), ip: throttleKeys('', 'ip', ip) });

  function remaining(key: string): number {
    const entry = entries.get(key);
    if (!entry) return 0;
    const left = entry.expiresAt - now();
    if (left <= 0) entries.delete(key);
    return Math.max(left, 0);
  }

  // Keeps memory bounded by what the window allows, at an amortised constant cost per failure.
  function sweep(): void {
    if (entries.size < sweepAt) return;
    for (const key of entries.keys()) remaining(key);
    sweepAt = Math.max(SWEEP_AT, entries.size * 2);
  }

  function check(attempt: LoginAttempt): ThrottleDecision {
    const keys = keysOf(attempt);
    const username = remaining(keys.username.lock);
    const ip = remaining(keys.ip.lock);
    const lockedBy = ([['username', username], ['ip', ip]] as const).filter(([, ttl]) => ttl > 0).map(([subject]) => subject);
    if (!lockedBy.length) return { allowed: true };
    return { allowed: false, retryAfter: Math.ceil(Math.max(username, ip) / 1000), lockedBy };
  }

  function fail(keys: SubjectKeys, subjectLimits: ThrottleLimits): number {
    // Like the Redis counter: one more failure, and the window restarts from this one.
    const failures = (remaining(keys.failures) > 0 ? entries.get(keys.failures)!.value : 0) + 1;
    entries.set(keys.failures, { value: failures, expiresAt: now() + subjectLimits.window * 1000 });
    const decision = throttlePolicy(failures, subjectLimits);
    // A lock is never shortened by a later, shorter delay.
    if (!decision.allowed && remaining(keys.lock) < decision.retryAfter * 1000) {
      entries.set(keys.lock, { value: 1, expiresAt: now() + decision.retryAfter * 1000 });
    }
    return failures;
  }

  return {
    async check(attempt) {
      return check(attempt);
    },
    async recordFailure(attempt): Promise<FailureRecord> {
      sweep();
      const keys = keysOf(attempt);
      const failures = { username: fail(keys.username, resolved.username), ip: fail(keys.ip, resolved.ip) };
      return { failures, decision: check(attempt) };
    },
    async recordSuccess(attempt) {
      const keys = keysOf(attempt).username;
      entries.delete(keys.failures);
      entries.delete(keys.lock);
    },
  };
}
