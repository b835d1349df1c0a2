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
