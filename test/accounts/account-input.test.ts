import { checkAccountInput, checkPassword, normalizeUsername } from '../../src/accounts/account-input.ts';

test('usernames are normalised: NFKC, trimmed, lower case', () => {
  expect(normalizeUsername('  Alice ')).toBe('alice');
  expect(normalizeUsername('ＡＬＩＣＥ')).toBe('alice');
  expect(normalizeUsername('Bob.Smith@Example.COM')).toBe('bob.smith@example.com');
});

test('valid input has no problems', () => {
  expect(checkAccountInput({ username: 'a', email: 'a@b', name: 'A', given_name: 'A', family_name: 'B' })).toEqual([]);
  expect(checkAccountInput({ username: `A${'b'.repeat(63)}` })).toEqual([]);
});

test('each bad field is named', () => {
  const username = 'username: must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit';
  for (const bad of ['', ' ', '.alice', 'al ice', 'al{ice}', 'älice', 'a'.repeat(65)]) {
    expect(checkAccountInput({ username: bad })).toEqual([username]);
  }
  expect(checkAccountInput({ username: 'ok', email: 'no-at-sign', name: 'a\nb', given_name: '', family_name: 'x'.repeat(201) })).toEqual([
    'email: must be an email address',
    'name: must be 1 to 200 characters without control characters',
    'given_name: must be 1 to 200 characters without control characters',
    'family_name: must be 1 to 200 characters without control characters',
  ]);
});

test('passwords: at least the minimum, at most 1024 characters, counted in code points', () => {
  expect(checkPassword('1234567', 8)).toEqual(['password: must be at least 8 characters']);
  expect(checkPassword('12345678', 8)).toEqual([]);
  expect(checkPassword('🔑🔑🔑🔑', 4)).toEqual([]);
  expect(checkPassword('x'.repeat(1025), 8)).toEqual(['password: must be at most 1024 characters']);
});
