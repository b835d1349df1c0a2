import { createVerifiedTokens } from '../../src/token-exchange/verified-tokens.ts';
import type { PresentedToken } from '../../src/token-exchange/presented-token.ts';

const token = (exp: number): PresentedToken => ({ sub: 'u', client_id: 'c', scopes: [], audiences: [], exp, jti: 'j' });

test('concurrent and later presentations of one JWT share one verification until it expires', async () => {
  const memory = createVerifiedTokens();
  let verifications = 0;
  const verify = async () => token(1000 + 10 * ++verifications);
  const first = await Promise.all([memory.verify('a.b.c', 900, verify), memory.verify('a.b.c', 900, verify)]);
  expect(first).toEqual([token(1010), token(1010)]);
  expect(await memory.verify('a.b.c', 1009, verify)).toEqual(token(1010));
  expect(verifications).toBe(1);
  expect(await memory.verify('a.b.c', 1010, verify)).toEqual(token(1020));
  expect(verifications).toBe(2);
});

test('a failed verification is not kept, and the least recently used JWT goes beyond the capacity', async () => {
  const memory = createVerifiedTokens(2);
  await expect(
    memory.verify('bad', 0, async () => {
      throw new Error('bad signature');
    }),
  ).rejects.toThrow('bad signature');
  await expect(memory.verify('bad', 0, async () => token(100))).resolves.toEqual(token(100));
  let verifications = 0;
  const verify = async () => {
    verifications += 1;
    return token(100);
  };
  for (const jwt of ['x', 'y', 'z', 'x']) await memory.verify(jwt, 0, verify);
  expect(verifications).toBe(4);
});
