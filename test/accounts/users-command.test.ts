import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createRedisUserStore } from '../../src/accounts/redis-user-store.ts';
import type { UserStore } from '../../src/accounts/user-store.ts';
import { ROOT } from '../support/tessera.ts';
import { withoutAudit } from '../support/audit-lines.ts';

const USAGE = `usage: tessera users add <username> [--email E] [--email-verified] [--name N] [--given-name G] [--family-name F]
       tessera users list
       tessera users disable|enable|set-password|delete <username>
  The password is the first line of stdin, or is asked for twice on a terminal.
`;
const ID = '[A-Za-z0-9_-]{22}';
const redis = new Redis(process.env.REDIS_URL!);
let run = 0;
let prefix: string;
let store: UserStore;

beforeEach(() => {
  prefix = `test-accounts-cli:${++run}:`;
  store = createRedisUserStore({ redis, prefix });
});
afterAll(() => redis.quit());

/** Runs `node bin/tessera.js users …` with the password (or anything) on stdin. */
function users(args: string[], stdin = '', env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'users', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: stdin,
    env: { PATH: process.env.PATH ?? '', REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: prefix, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: withoutAudit(result.stderr) };
}

const keys = async (): Promise<string[]> => redis.keys(`${prefix}*`);

test('add reads the password from the first line of stdin and stores the profile', async () => {
  const run = users(
    ['add', 'Alice', '--email', 'alice@example.com', '--email-verified', '--name', 'Alice Liddell', '--given-name=Alice', '--family-name', 'Liddell'],
    'correct horse battery\nignored second line\n',
  );
  expect(run).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^created user alice \\(sub ${ID}\\)\\n$`)), stderr: '' });
  const id = /sub (\S+)\)/.exec(run.stdout)![1];
  expect(await store.findByUsername('alice')).toMatchObject({
    id,
    username: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    disabled: false,
  });
  expect(await store.authenticate('alice', 'correct horse battery')).toBe(id);
  expect(users(['add', 'bob'], 'pass phrase two\r\n').code).toBe(0);
  expect(await store.authenticate('bob', 'pass phrase two')).toBeDefined();
});

test('list, disable, enable, set-password and delete', async () => {
  const alice = await store.create({ username: 'alice', password: 'correct horse battery', email: 'alice@example.com' });
  const bob = await store.create({ username: 'bob', password: 'correct horse battery' });
  expect(users(['disable', 'BOB'])).toEqual({ code: 0, stdout: 'disabled user bob; every access token of the user is revoked\n', stderr: '' });
  expect(users(['list'])).toEqual({
    code: 0,
    stderr: '',
    stdout:
      'username  sub                     email              status\n' +
      `alice     ${alice.id}  alice@example.com  enabled\n` +
      `bob       ${bob.id}  -                  disabled\n`,
  });
  expect(await store.authenticate('bob', 'correct horse battery')).toBeUndefined();
  expect(users(['enable', 'bob'])).toEqual({ code: 0, stdout: 'enabled user bob\n', stderr: '' });
  expect(await store.authenticate('bob', 'correct horse battery')).toBe(bob.id);
  expect(users(['set-password', 'alice'], 'a new pass phrase\n')).toEqual({ code: 0, stdout: 'changed the password of user alice\n', stderr: '' });
  expect(await store.authenticate('alice', 'a new pass phrase')).toBe(alice.id);
  expect(users(['delete', 'alice'])).toEqual({ code: 0, stdout: 'deleted user alice; every access token of the user is revoked\n', stderr: '' });
  expect(await store.findById(alice.id)).toBeUndefined();
  expect(users(['delete', 'bob']).code).toBe(0);
  expect(users(['list'])).toEqual({ code: 0, stdout: 'no users\n', stderr: '' });
  // Nothing of the accounts is left; the revocations of their tokens stay, each key with its expiry.
  const left = await keys();
  expect(left.filter((key) => !key.startsWith(`${prefix}{revocations}:`))).toEqual([]);
  expect(left.length).toBeGreaterThan(0);
  for (const key of left) expect(await redis.ttl(key)).toBeGreaterThan(0);
});

test('failures exit 1 with one clear message and change nothing', async () => {
  const alice = await store.create({ username: 'alice', password: 'correct horse battery' });
  const before = await redis.hgetall(`${prefix}{accounts}:account:${alice.id}`);
  expect(users(['add', 'ALICE'], 'another password\n')).toEqual({ code: 1, stdout: '', stderr: 'tessera: user alice already exists\n' });
  for (const sub of ['disable', 'enable', 'set-password', 'delete']) {
    expect(users([sub, 'nobody'], 'another password\n')).toEqual({ code: 1, stdout: '', stderr: 'tessera: user nobody not found\n' });
  }
  expect(users(['set-password', 'alice'], 'short\n')).toEqual({ code: 1, stdout: '', stderr: 'tessera: password: must be at least 8 characters\n' });
  expect(users(['set-password', 'alice'], '')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no password on stdin\n' });
  expect(users(['add', 'bob'], 'short\n')).toEqual({ code: 1, stdout: '', stderr: 'tessera: password: must be at least 8 characters\n' });
  expect(await redis.hgetall(`${prefix}{accounts}:account:${alice.id}`)).toEqual(before);
  expect((await keys()).sort()).toEqual([`${prefix}{accounts}:account:${alice.id}`, `${prefix}{accounts}:by-username`, `${prefix}{accounts}:usernames`]);
});

test('bad invocations print the usage, exit 2 and write nothing', async () => {
  const cases: [string[], string][] = [
    [[], 'missing users command'],
    [['frob'], 'unknown users command: frob'],
    [['add'], 'users add needs a username'],
    [['delete', '--email', 'x'], 'users delete needs a username'],
    [['add', 'bad name'], 'username: must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit'],
    [['add', 'alice', '--email', 'nope', '--name', ''], 'email: must be an email address; name: must be 1 to 200 characters without control characters'],
    [['add', 'alice', '--shoe-size', '42'], 'unknown option --shoe-size'],
    [['add', 'alice', '--email'], '--email needs a value'],
    [['add', 'alice', 'stray'], 'unexpected argument: stray'],
    [['list', 'all'], 'unexpected argument: all'],
    [['disable', 'alice', 'bob'], 'unexpected argument: bob'],
  ];
  for (const [args, message] of cases) {
    expect(users(args, 'correct horse battery\n')).toEqual({ code: 2, stdout: '', stderr: `tessera: ${message}\n${USAGE}` });
  }
  expect(await keys()).toEqual([]);
});

test('without REDIS_URL, or with Redis unreachable, the command says so and exits 1', () => {
  expect(users(['list'], '', { REDIS_URL: undefined })).toEqual({ code: 1, stdout: '', stderr: 'tessera: REDIS_URL is not set: users are stored in Redis\n' });
  expect(users(['add', 'alice'], 'correct horse battery\n', { REDIS_URL: 'redis://127.0.0.1:1' })).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tessera: cannot connect to Redis (connect ECONNREFUSED 127.0.0.1:1)\n',
  });
});

/** Runs the command on a terminal (util-linux `script`), answering each prompt in turn. */
function onTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, join(ROOT, 'bin/tessera.js'), 'users', ...args].join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: prefix },
  });
  let output = '';
  const pending = [...answers];
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (/password: $/i.test(output) && pending.length) child.stdin.write(`${pending.shift()}\r`);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output: withoutAudit(output) })));
}

test('on a terminal the password is asked for twice without echo', async () => {
  const added = await onTerminal(['add', 'carol'], ['pass phrase 3', 'pass phrase 3']);
  expect(added).toEqual({
    code: 0,
    output: expect.stringMatching(new RegExp(`^Password: \\r\\nRepeat password: \\r\\ncreated user carol \\(sub ${ID}\\)\\r\\n$`)),
  });
  expect(await store.authenticate('carol', 'pass phrase 3')).toBeDefined();
  expect(await onTerminal(['set-password', 'carol'], ['pass phrase 4', 'pass phrase 5'])).toEqual({
    code: 1,
    output: 'Password: \r\nRepeat password: \r\ntessera: the passwords do not match\r\n',
  });
  expect(await store.authenticate('carol', 'pass phrase 3')).toBeDefined();
});
