import { checkScryptParams } from './scrypt-params.ts';
import type { ScryptParams } from './scrypt-params.ts';

/** A stored password hash, parsed. */
export interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url; keylen is the length of the hash. */
export function formatHash({ params, salt, hash }: ParsedHash): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Parses a stored hash; `undefined` when it is malformed or its parameters are out of bounds. */
export function parseHash(stored: string): ParsedHash | undefined {
  const match = FORMAT.exec(stored);
  if (!match) return undefined;
  const [, N, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const decoded = Buffer.from(hash, 'base64url');
  const params: ScryptParams = { N: Number(N), r: Number(r), p: Number(p), keylen: decoded.length };
  if (checkScryptParams(params).length) return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), hash: decoded };
}
