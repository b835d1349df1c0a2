import type { UserStore } from '../../src/accounts/user-store.ts';
import { countScryptDerivations } from '../support/scrypt-derivations.ts';

/** The hashing parameters a store under {@link expectSameScryptWork} must be made with. */
export const SAME_WORK_HASHING = { N: 2 ** 14, r: 8, p: 1 };

/**
 * Counted, not timed, so the answer is the same on a busy machine as on an idle one: an unknown
 * username, a wrong password and a disabled account each cost exactly one scrypt derivation, as
 * the right password does, and the hashes derived against were made with SAME_WORK_HASHING (the
 * dummy one for an unknown user by the same hasher). `storedHashes` reads the stored hashes of
 * the given account ids.
 */
export async function expectSameScryptWork(store: UserStore, storedHashes: (ids: string[]) => Promise<string[]>): Promise<void> {
  const password = 'correct horse battery';
  const alice = await store.create({ username: 'alice', password });
  const dave = await store.create({ username: 'dave', password });
  await store.setDisabled(dave.id, true);
  expect(await countScryptDerivations(() => store.authenticate('nobody', password)))
    .toEqual({ result: undefined, derivations: 2 }); // the dummy hash is made once, on first use, then verified against
  for (let i = 0; i < 3; i++) {
    for (const [username, attempt] of [['alice', 'wrong password'], [`nobody${i}`, password], ['dave', password]] as const) {
      expect(await countScryptDerivations(() => store.authenticate(username, attempt))).toEqual({ result: undefined, derivations: 1 });
    }
  }
  expect(await countScryptDerivations(() => store.authenticate('alice', password))).toEqual({ result: alice.id, derivations: 1 });
  for (const stored of await storedHashes([alice.id, dave.id])) expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
}
