import { timingSafeEqual } from 'node:crypto';

import { createPasswordHasher, deriveKey } from '../../src/accounts/password-hasher.ts';
import type { ScryptParams } from '../../src/accounts/scrypt-params.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../../src/accounts/scrypt-params.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1, keylen: 32 };

/** A hasher whose constant-time comparisons are recorded. */
function spied(params = CHEAP) {
  const calls: [number, number][] = [];
  const hasher = createPasswordHasher({
    params,
    compare: (a, b) => {
      calls.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    },
  });
  return { hasher, calls };
}

test('the defaults are N=2^15, r=8, p=1 with a 32-byte key', () => {
  expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 1, keylen: 32 });
});

test('hash makes scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
  const { hasher } = spied();
  const [a, b] = [await hasher.hash('pass phrase'), await hasher.hash('pass phrase')];
  expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a).not.toBe(b);
});

test('verify compares in constant time, once, on equal-length buffers, whether the password is right or wrong', async () => {
  const { hasher, calls } = spied();
  const stored = await hasher.hash('pass phrase');
  expect(await hasher.verify('pass phrase', stored)).toEqual({ ok: true, needsRehash: false });
  expect(await hasher.verify('pass phrasE', stored)).toEqual({ ok: false, needsRehash: false });
  expect(calls).toEqual([
    [32, 32],
    [32, 32],
  ]);
});

test('a malformed or out-of-bounds stored hash never matches, and still costs a derivation and a comparison', async () => {
  const { hasher, calls } = spied();
  const good = await hasher.hash('pass phrase');
  const [, , , , salt, hash] = good.split('$');
  for (const stored of [
    '',
    'plain text',
    `scrypt$1000$8$1$${salt}$${hash}`,
    `scrypt$8388608$8$1$${salt}$${hash}`,
    `scrypt$1024$99$1$${salt}$${hash}`,
    `bcrypt$1024$8$1$${salt}$${hash}`,
    `scrypt$1024$8$1$${salt}$${hash}$`,
  ]) {
    expect(await hasher.verify('pass phrase', stored)).toEqual({ ok: false, needsRehash: false });
  }
  expect(calls).toHaveLength(7);
});

test('needsRehash when any stored parameter differs from the configured ones', async () => {
  const stored = await createPasswordHasher({ params: CHEAP }).hash('pass phrase');
  for (const params of [
    { ...CHEAP, N: 2048 },
    { ...CHEAP, r: 4 },
    { ...CHEAP, p: 2 },
    { ...CHEAP, keylen: 64 },
  ]) {
    expect(await createPasswordHasher({ params }).verify('pass phrase', stored)).toEqual({ ok: true, needsRehash: true });
    expect(await createPasswordHasher({ params }).verify('wrong', stored)).toEqual({ ok: false, needsRehash: true });
  }
});

test('passwords are compared after NFKC normalisation', async () => {
  const { hasher } = spied();
  const stored = await hasher.hash('ﬁve Ａpples'); // ligature and full-width letter
  expect((await hasher.verify('five Apples', stored)).ok).toBe(true);
});

test('unusable parameters are refused, every problem named', () => {
  expect(() => createPasswordHasher({ params: { N: 3, r: 0, p: 17, keylen: 8 } })).toThrow(
    new Error(
      'invalid scrypt parameters: r: must be a whole number from 1 to 32; p: must be a whole number from 1 to 16; ' +
        'keylen: must be a whole number from 16 to 128; N: must be a power of two',
    ),
  );
});

test('without a stored hash (no such account) a check costs one derivation at the configured cost, the first one too', async () => {
  const used: ScryptParams[] = [];
  const hasher = createPasswordHasher({
    params: CHEAP,
    derive: (password, salt, params) => {
      used.push(params);
      return deriveKey(password, salt, params);
    },
  });
  expect(used).toEqual([]);
  expect(await hasher.verify('pass phrase', undefined)).toEqual({ ok: false, needsRehash: false });
  expect(used).toEqual([CHEAP]);
  expect(await hasher.verify('pass phrase', undefined)).toEqual({ ok: false, needsRehash: false });
  expect(used).toEqual([CHEAP, CHEAP]);
});
