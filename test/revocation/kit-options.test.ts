import { createVerifier, ResourceServerConfigError } from '../../src/resource-server/index.ts';
import type { VerifierOptions } from '../../src/resource-server/index.ts';
import { createRevocationList } from '../../src/resource-server/revocation-list.ts';

function problems(options: VerifierOptions): readonly string[] {
  try {
    createVerifier(options);
    return [];
  } catch (err) {
    if (err instanceof ResourceServerConfigError) return err.problems;
    throw err;
  }
}

const AUTHORITY = 'https://id.example.com';

test('revocation settings are checked: intervals in seconds, an object or false, and online verifiers only', () => {
  expect(problems({ authority: AUTHORITY, revocation: { pollInterval: 0, maxStaleness: -1 } })).toEqual([
    'revocation.pollInterval: must be a number of seconds ≥ 0.05',
    'revocation.maxStaleness: must be a number of seconds ≥ 0',
  ]);
  expect(problems({ authority: AUTHORITY, revocation: 'on' as unknown as false })).toEqual(['revocation: must be false or { pollInterval, maxStaleness }']);
  expect(problems({ authority: AUTHORITY, jwks: { keys: [] }, revocation: { pollInterval: 1 } })).toEqual([
    'revocation: the revocation feed is followed by online verifiers only; remove it, or the pinned keys',
  ]);
  expect(problems({ authority: AUTHORITY, revocation: false })).toEqual([]);
  expect(problems({ authority: AUTHORITY, revocation: { pollInterval: 1, maxStaleness: 0 } })).toEqual([]);
});

test('the list: exact matches by claim, iat_max bounds the issue time, a later entry widens, purge forgets expired entries', () => {
  const list = createRevocationList();
  list.apply({ claim: 'jti', value: 'j', exp: 100 });
  list.apply({ claim: 'sub', value: 'u', exp: 200, iat_max: 50 });
  list.apply({ claim: 'sub', value: 'u', exp: 150, iat_max: 60 });
  expect(list.size).toBe(2);
  expect(list.covers({ jti: 'j', sub: 'x' })).toBe(true);
  expect(list.covers({ jti: 'J', sub: 'x' })).toBe(false);
  expect(list.covers({ sub: 'u', iat: 60 })).toBe(true);
  expect(list.covers({ sub: 'u', iat: 61 })).toBe(false);
  expect(list.covers({ sub: 'u' })).toBe(false);
  expect(list.covers({ grant_ref: 'j', client_id: 'u' })).toBe(false);
  list.purge(120);
  expect(list.size).toBe(1);
  expect(list.covers({ jti: 'j' })).toBe(false);
  expect(list.covers({ sub: 'u', iat: 1 })).toBe(true);
  list.purge(201);
  expect(list.size).toBe(0);
});
