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
   */
  verify(password: string, stored: string): Promise<{ ok: boolean; needsRehash: boolean }>;
}

interface PasswordHasherOptions {
  readonly params: ScryptParams;
  /** Constant-time comparison of two equal-length buffers; node:crypto's `timingSafeEqual`. */
  readonly compare?: (a: Buffer, b: Buffer) => boolean;
}

/** Creates a hasher for `params`; throws when the parameters are unusable. */
export function createPasswordHasher({ params, compare = timingSafeEqual }: PasswordHasherOptions): PasswordHasher {
  const problems = checkScryptParams(params);
  if (problems.length) throw new Error(`invalid scrypt parameters: ${problems.join('; ')}`);
  const fallback = { params, salt: randomBytes(SALT_BYTES) };

  return {
    params,
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      return formatHash({ params, salt, hash: await derive(password, salt, params) });
    },
    async verify(password, stored) {
      const parsed = parseHash(stored);
      // A malformed hash still costs one derivation, so it cannot be told apart by timing.
      const { params: used, salt } = parsed ?? fallback;
      const derived = await derive(password, salt, used);
      const ok = compare(derived, parsed?.hash ?? Buffer.alloc(derived.length)) && parsed !== undefined;
      return { ok, needsRehash: !sameParams(used, params) };
    },
  };
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p, keylen } = params;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keylen, { N, r, p, maxmem: scryptMaxmem(params) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.N === b.N && a.r === b.r && a.p === b.p && a.keylen === b.keylen;
}
