import { DEFAULT_RESERVATION_LEASE } from './login-throttle.ts';
import type { LoginThrottle, LoginThrottleOptions } from './login-throttle.ts';
import { createSubjectThrottle } from './subject-throttle.ts';
import type { SubjectSteps } from './subject-throttle.ts';
import { mayStart, throttlePolicy } from './throttle-policy.ts';
import { busyAnswer, lockAnswer } from './throttle-verdict.ts';

/** Options of {@link createMemoryLoginThrottle}. */
export interface MemoryLoginThrottleOptions {
  /** Per-subject limits; defaults in {@link DEFAULT_THROTTLE_LIMITS}. */
  readonly limits?: LoginThrottleOptions['limits'];
  /** As {@link LoginThrottleOptions.lease}: seconds an unsettled reservation holds its place; default 30. */
  readonly lease?: number;
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
 * the same contract, policy, subjects (usernames normalised, IPv6 clients by /64) and answers as
 * the Redis throttle (the same steps, src/accounts/subject-throttle.ts), but counted per process.
 * Throws at once when the limits are unusable.
 *
 * @example
 * const throttle = createMemoryLoginThrottle({ limits: throttleLimits(config) });
 */
export function createMemoryLoginThrottle({
  limits,
  lease = DEFAULT_RESERVATION_LEASE,
  now = Date.now,
  entries = new Map(),
}: MemoryLoginThrottleOptions = {}): LoginThrottle {
  // Pending key → reservation id → when it lapses.
  const pending = new Map<string, Map<string, number>>();
  let sweepAt = SWEEP_AT;

  function remaining(key: string): number {
    const entry = entries.get(key);
    if (!entry) return 0;
    const left = entry.expiresAt - now();
    if (left <= 0) entries.delete(key);
    return Math.max(left, 0);
  }

  function inFlight(key: string): Map<string, number> {
    const held = pending.get(key) ?? new Map<string, number>();
    for (const [id, lapses] of held) if (lapses <= now()) held.delete(id);
    if (held.size) pending.set(key, held);
    else pending.delete(key);
    return held;
  }

  // Keeps memory bounded by what the window allows, at an amortised constant cost per attempt.
  function sweep(): void {
    if (entries.size + pending.size < sweepAt) return;
    for (const key of entries.keys()) remaining(key);
    for (const key of pending.keys()) inFlight(key);
    sweepAt = Math.max(SWEEP_AT, (entries.size + pending.size) * 2);
  }

  function settle(key: string, reservation: string): void {
    const held = pending.get(key);
    held?.delete(reservation);
    if (held?.size === 0) pending.delete(key);
  }

  // Each step runs without awaiting, so it is atomic among the attempts in flight, as a script is in Redis.
  const steps: SubjectSteps = {
    async reserve(keys, subjectLimits, reservation) {
      sweep();
      const lock = remaining(keys.lock);
      if (lock > 0) return lockAnswer(lock);
      const failures = remaining(keys.failures) > 0 ? entries.get(keys.failures)!.value : 0;
      const held = inFlight(keys.pending);
      if (!mayStart(failures, held.size, subjectLimits)) return busyAnswer(failures, held.size, subjectLimits);
      pending.set(keys.pending, held.set(reservation, now() + lease * 1000));
      return { refused: false };
    },
    lockLeft: async (key) => remaining(key),
    async fail(keys, subjectLimits, reservation) {
      // Like the Redis counter: one more failure, and the window restarts from this one.
      const failures = (remaining(keys.failures) > 0 ? entries.get(keys.failures)!.value : 0) + 1;
      entries.set(keys.failures, { value: failures, expiresAt: now() + subjectLimits.window * 1000 });
      const decision = throttlePolicy(failures, subjectLimits);
      // A lock is never shortened by a later, shorter delay.
      if (!decision.allowed && remaining(keys.lock) < decision.retryAfter * 1000) {
        entries.set(keys.lock, { value: 1, expiresAt: now() + decision.retryAfter * 1000 });
      }
      settle(keys.pending, reservation);
      return { failures, lock: remaining(keys.lock) };
    },
    release: async (key, reservation) => settle(key, reservation),
    async forget(keys) {
      entries.delete(keys.failures);
      entries.delete(keys.lock);
    },
  };
  return createSubjectThrottle({ prefix: '', limits, steps });
}
