import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

import { formatHash, parseHash } from './password-hash-format.ts';
import { checkScryptParams, scryptMaxmem } from './scrypt-params.ts';
import type { ScryptParams } from './scrypt-params.ts';

const SALT_BYTES = 16;

/** Hashes and verifies passwords with scrypt. */
export interface PasswordHasher {
  readonly params: ScryptParams;
  /** A new `scrypt$N$r$p$salt$hash` string with a fresh random salt and the configured parameters. */
  hash(password: string): Promise<string>;
  /**
   * Whether `password` matches `stored`, compared in constant time, and whether `stored` was
   * made with other parameters than the configured ones. A malformed `stored` never matches.
   * Without `stored` (no such account) the password is checked against a dummy made when the
   * hasher was created, at the cost of a real check from the first call on.
   */
  verify(password: string, stored: string | undefined): Promise<{ ok: boolean; needsRehash: boolean }>;
}

/** Derives a key from a password with scrypt; {@link deriveKey} by default. */
export type DeriveKey = (password: string, salt: Buffer, params: ScryptParams) => Promise<Buffer>;

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  readonly params: ScryptParams;
  /** Constant-time comparison of two equal-length buffers; node:crypto's `timingSafeEqual`. */
  readonly compare?: (a: Buffer, b: Buffer) => boolean;
  /** The key derivation; node:crypto's scrypt through {@link deriveKey}. */
  readonly derive?: DeriveKey;
}

/** Creates a hasher for `params`; throws when the parameters are unusable. */
export function createPasswordHasher({ params, compare = timingSafeEqual, derive = deriveKey }: PasswordHasherOptions): PasswordHasher {
  const problems = checkScryptParams(params);
  if (problems.length) throw new Error(`invalid scrypt parameters: ${problems.join('; ')}`);
  // What an unknown account or a malformed hash is checked against: the configured cost, a salt
  // of its own. It is ready now, so no first check pays for making it.
  const dummy = { params, salt: randomBytes(SALT_BYTES) };

  return {
    params,
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      return formatHash({ params, salt, hash: await derive(password, salt, params) });
    },
    async verify(password, stored) {
      const parsed = stored === undefined ? undefined : parseHash(stored);
      // No account or a malformed hash still costs one derivation, so it cannot be told apart by timing.
      const { params: used, salt } = parsed ?? dummy;
      const derived = await derive(password, salt, used);
      const ok = compare(derived, parsed?.hash ?? Buffer.alloc(derived.length)) && parsed !== undefined;
      return { ok, needsRehash: !sameParams(used, params) };
    },
  };
}

/** scrypt from node:crypto, on the NFKC form of the password, with the memory these parameters need. */
export function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p, keylen } = params;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keylen, { N, r, p, maxmem: scryptMaxmem(params) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.N === b.N && a.r === b.r && a.p === b.p && a.keylen === b.keylen;
}
