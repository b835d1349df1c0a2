import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { CLIENT_SECRET_HASH_PATTERN } from '../config/client-schema.ts';

// Generated secrets carry 256 bits of entropy, so a fast salted hash (CLIENT_SECRET_HASH_PATTERN)
// is enough; a memory-hard one would only slow every client authentication down.

/** A new random client secret: 32 bytes, base64url. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

function digest(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

/** The stored form of `secret`, with a fresh 16-byte salt. */
export function hashClientSecret(secret: string): string {
  const salt = randomBytes(16);
  return `sha256$${salt.toString('base64url')}$${digest(salt, secret).toString('base64url')}`;
}

/** Whether `secret` is the one `stored` was made from; compares in constant time. A malformed `stored` matches nothing. */
export function verifyClientSecret(stored: string, secret: string): boolean {
  if (!CLIENT_SECRET_HASH_PATTERN.test(stored)) return false;
  const [, salt, expected] = stored.split('$') as [string, string, string];
  return timingSafeEqual(digest(Buffer.from(salt, 'base64url'), secret), Buffer.from(expected, 'base64url'));
}
