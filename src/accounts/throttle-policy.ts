/** Back-off policy of one throttled subject (a username or a client IP). */
export interface ThrottleLimits {
  /** Failures allowed within the window before any delay. */
  readonly freeFailures: number;
  /** Delay after the first failure beyond `freeFailures`, in seconds; doubles with each further one. */
  readonly baseDelay: number;
  /** Longest delay (the lockout), in seconds. */
  readonly maxDelay: number;
  /** Failures are forgotten this many seconds after the last one; at least `maxDelay`. */
  readonly window: number;
}

/** Whether an attempt may go ahead now, or in how many seconds. */
export type ThrottlePolicyDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfter: number };

/** Defaults: a username locks after 5 failures, an IP (shared by many users behind NAT) after 50. */
export const DEFAULT_THROTTLE_LIMITS: { readonly username: ThrottleLimits; readonly ip: ThrottleLimits } = Object.freeze({
  username: Object.freeze({ freeFailures: 5, baseDelay: 2, maxDelay: 900, window: 3600 }),
  ip: Object.freeze({ freeFailures: 50, baseDelay: 1, maxDelay: 600, window: 3600 }),
});

/**
 * After `failures` failures within the window: allowed, or the number of seconds until the next
 * attempt — `baseDelay · 2^(failures − freeFailures − 1)`, capped at `maxDelay`.
 *
 * @example
 * throttlePolicy(7, { freeFailures: 5, baseDelay: 2, maxDelay: 900, window: 3600 }); // { allowed: false, retryAfter: 4 }
 */
export function throttlePolicy(failures: number, limits: ThrottleLimits): ThrottlePolicyDecision {
  const excess = failures - limits.freeFailures;
  if (excess <= 0) return { allowed: true };
  return { allowed: false, retryAfter: Math.min(limits.maxDelay, limits.baseDelay * 2 ** Math.min(excess - 1, 52)) };
}

/** Problems with limits, each naming the field under `name`; empty when usable. */
export function checkThrottleLimits(name: string, limits: ThrottleLimits): string[] {
  const problems: string[] = [];
  for (const field of ['freeFailures', 'baseDelay', 'maxDelay', 'window'] as const) {
    const value = limits[field];
    const min = field === 'freeFailures' ? 0 : 1;
    if (!Number.isInteger(value) || value < min) problems.push(`${name}.${field}: must be a whole number of at least ${min}`);
  }
  if (limits.window < limits.maxDelay) problems.push(`${name}.window: must be at least maxDelay (${limits.maxDelay})`);
  if (limits.baseDelay > limits.maxDelay) problems.push(`${name}.baseDelay: must not exceed maxDelay (${limits.maxDelay})`);
  return problems;
}

/**
 * Whether one more attempt may be checked while `pending` others are being checked: only when,
 * were they all to fail, no back-off would be in place yet. So a burst is checked no further
 * than the same attempts in a sequence. A lone attempt may always go ahead once no lock holds
 * (a back-off that has run out allows the next attempt).
 *
 * @example
 * mayStart(0, 5, { freeFailures: 5, baseDelay: 2, maxDelay: 900, window: 3600 }); // true: the sixth of a burst
 * mayStart(0, 6, { freeFailures: 5, baseDelay: 2, maxDelay: 900, window: 3600 }); // false: the seventh
 */
export function mayStart(failures: number, pending: number, limits: ThrottleLimits): boolean {
  return pending === 0 || throttlePolicy(failures + pending, limits).allowed;
}

/** Per-subject limits over the defaults; throws at once, naming every problem, when they are unusable. */
export function resolveThrottleLimits(limits: { readonly username?: Partial<ThrottleLimits>; readonly ip?: Partial<ThrottleLimits> } = {}): {
  readonly username: ThrottleLimits;
  readonly ip: ThrottleLimits;
} {
  const resolved = {
    username: { ...DEFAULT_THROTTLE_LIMITS.username, ...limits.username },
    ip: { ...DEFAULT_THROTTLE_LIMITS.ip, ...limits.ip },
  };
  const problems = [...checkThrottleLimits('username', resolved.username), ...checkThrottleLimits('ip', resolved.ip)];
  if (problems.length) throw new Error(`invalid throttle limits: ${problems.join('; ')}`);
  return resolved;
}
