import { createPasswordHasher, deriveKey } from '../../src/accounts/password-hasher.ts';
import type { PasswordHasher } from '../../src/accounts/password-hasher.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../../src/accounts/scrypt-params.ts';
import type { ScryptParams } from '../../src/accounts/scrypt-params.ts';
import type { UserStore } from '../../src/accounts/user-store.ts';

/**
 * Counted, not timed, so the answer is the same on a busy machine as on an idle one: an unknown
 * username, a wrong password and a disabled account each cost exactly one scrypt derivation with
 * the configured parameters, as the right password does. The store is made by `makeStore` with
 * a hasher whose derivations (node:crypto's scrypt) are recorded with their parameters.
 */
export async function expectSameScryptWork(makeStore: (hasher: PasswordHasher) => UserStore | Promise<UserStore>): Promise<void> {
  const params: ScryptParams = { ...DEFAULT_SCRYPT_PARAMS, N: 2 ** 14 };
  const derived: ScryptParams[] = [];
  const store = await makeStore(
    createPasswordHasher({
      params,
      derive: (password, salt, used) => {
        derived.push(used);
        return deriveKey(password, salt, used);
      },
    }),
  );
  const password = 'correct horse battery';
  const alice = await store.create({ username: 'alice', password });
  const dave = await store.create({ username: 'dave', password });
  await store.setDisabled(dave.id, true);
  const attempt = async (username: string, given: string): Promise<{ result: string | undefined; derived: ScryptParams[] }> => {
    derived.length = 0;
    const result = await store.authenticate(username, given);
    return { result, derived: [...derived] };
  };
  for (let i = 0; i < 3; i++) {
    for (const [username, given] of [
      ['alice', 'wrong password'],
      [`nobody${i}`, password],
      ['dave', password],
    ] as const) {
      expect(await attempt(username, given)).toEqual({ result: undefined, derived: [params] });
    }
  }
  expect(await attempt('alice', password)).toEqual({ result: alice.id, derived: [params] });
}
