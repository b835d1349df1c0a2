import { z } from 'zod';

/**
 * The kinds of value a setting takes, each with the one message that says what is valid for
 * it: a count is not answered with "seconds", nor a port with "milliseconds".
 */

/** Longest delay a Node timer takes (2^31 − 1 ms); a longer one fires at once. */
export const TIMER_SECONDS_MAX = 2_147_483;

/** Longest lifetime: ten years. Far beyond it, expiry dates and Redis TTLs overflow. */
export const LIFETIME_SECONDS_MAX = 10 * 365 * 24 * 3600;

/** A whole number from `min` to `max`; from the environment, digits only (no `0x10`, no blank). */
function wholeNumber(min: number, max: number, message: string) {
  return z
    .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)], { message })
    .pipe(z.number({ message }).int(message).min(min, message).max(max, message));
}

/** Seconds from `min` to `max`; with `min` 0, 0 means off. */
export function seconds(min: number, max: number, note = ''): ReturnType<typeof wholeNumber> {
  const off = min === 0 ? ' (0: off)' : '';
  return wholeNumber(min, max, `must be a whole number of seconds from ${min} to ${max}${off}${note}`);
}

/** A lifetime in seconds, from 1 s to ten years. */
export const lifetime = seconds(1, LIFETIME_SECONDS_MAX);

/** A count (of failures, of characters) from `min` to `max`. */
export function count(min: number, max: number): ReturnType<typeof wholeNumber> {
  return wholeNumber(min, max, `must be a whole number from ${min} to ${max}`);
}

/** Milliseconds from `min` to `max`. */
export function milliseconds(min: number, max: number): ReturnType<typeof wholeNumber> {
  return wholeNumber(min, max, `must be a whole number of milliseconds from ${min} to ${max}`);
}

/** A TCP port; 0 picks a free one. */
export const port = wholeNumber(0, 65535, 'must be a port number from 0 to 65535');

/** A power of two from `min` to `max`. */
export function powerOfTwo(min: number, max: number): ReturnType<typeof wholeNumber> {
  const message = `must be a power of two from ${min} to ${max}`;
  return wholeNumber(min, max, message).refine((n) => (n & (n - 1)) === 0, { message });
}

/** Text; `nonEmpty` refuses the empty string. */
export function text(nonEmpty = true): z.ZodString {
  const value = z.string({ message: 'must be text' });
  return nonEmpty ? value.min(1, 'must not be empty') : value;
}

/** An absolute URL without a fragment. */
export const absoluteUrl = z
  .string({ message: 'must be an absolute URL without a fragment' })
  .refine((value) => URL.canParse(value) && !value.includes('#'), { message: 'must be an absolute URL without a fragment' });

/** An http(s) URL without query or fragment: what oidc-provider takes as an issuer identifier. */
export const issuerUrl = z.string({ message: 'must be an http or https URL without query or fragment' }).refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && !value.includes('?') && !value.includes('#');
  },
  { message: 'must be an http or https URL without query or fragment' },
);

/** `true`/`1` or `false`/`0`. */
export const boolean = z.unknown().transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (got ${String(value)})` });
  return z.NEVER;
});

/** Comma- or space-separated in the environment; a list of strings in CONFIG_FILE. */
export const list = z
  .union([z.array(z.string()), z.string()], { message: 'must be a list (comma-separated, or an array of strings)' })
  .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,]+/)).filter(Boolean));

/** `host:port`, the port from 1 to 65535. */
export function hostPort(what: string): z.ZodString {
  return z.string().refine(
    (value) => {
      const match = /^[\w.-]+:(\d{1,5})$/.exec(value);
      return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65535;
    },
    { message: `each ${what} must be host:port (port from 1 to 65535)` },
  );
}

/** One of `values`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, message = `must be one of ${values.join(', ')}`) {
  return z.enum(values, { message });
}
