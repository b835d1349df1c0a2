import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

import { normalizeUsername } from './account-input.ts';

/** The keys of one throttled subject, sharing a hash tag. */
export interface SubjectKeys {
  /** Failure counter; expires `window` seconds after the last failure. */
  readonly failures: string;
  /** Present while attempts are refused; its TTL is the retry-after. */
  readonly lock: string;
  /** Attempts being checked now: reservation id → when the reservation lapses (ms since the epoch). */
  readonly pending: string;
}

/**
 * Keys for a username (normalised like the user store does) and a client IP (an IPv6 address
 * counts as its /64, which one client typically controls whole). Subjects are hashed, so keys
 * hold no usernames or addresses and no braces that could break the hash tag.
 */
export function throttleKeys(prefix: string, kind: 'username' | 'ip', subject: string): SubjectKeys {
  const value = kind === 'username' ? normalizeUsername(subject) : ipSubject(subject);
  const digest = createHash('sha256').update(`${kind}\0${value}`).digest('base64url').slice(0, 22);
  const base = `${prefix}throttle:{${kind}:${digest}}:`;
  return { failures: `${base}failures`, lock: `${base}lock`, pending: `${base}pending` };
}

/** An IPv4 address as is (also when IPv4-mapped), an IPv6 address as its /64 prefix. */
export function ipSubject(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
