import type { AccountProfile } from './user-store.ts';

/** Longest password accepted; bounds the work one login attempt can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

const USERNAME = /^[a-z0-9][a-z0-9._@+-]{0,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const CONTROL = /\p{Cc}/u;
const MAX_TEXT_LENGTH = 200;

/** Case-insensitive form of a username: NFKC, trimmed, lower case. Does not validate. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/**
 * Problems with a username and profile, each naming its field (`username: …`); empty when the
 * input can be stored. Pure: callers may check input before connecting to anything.
 */
export function checkAccountInput(input: AccountProfile & { readonly username: string }): string[] {
  const problems: string[] = [];
  if (!USERNAME.test(normalizeUsername(input.username))) {
    problems.push('username: must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit');
  }
  if (input.email !== undefined && (input.email.length > 254 || !EMAIL.test(input.email))) {
    problems.push('email: must be an email address');
  }
  for (const field of ['name', 'given_name', 'family_name'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (!value.trim() || value.length > MAX_TEXT_LENGTH || CONTROL.test(value)) {
      problems.push(`${field}: must be 1 to ${MAX_TEXT_LENGTH} characters without control characters`);
    }
  }
  return problems;
}

/** Problems with a new password (length in code points); empty when it is acceptable. */
export function checkPassword(password: string, minLength: number): string[] {
  const length = [...password].length;
  if (length < minLength) return [`password: must be at least ${minLength} characters`];
  if (length > MAX_PASSWORD_LENGTH) return [`password: must be at most ${MAX_PASSWORD_LENGTH} characters`];
  return [];
}
