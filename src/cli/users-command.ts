import { checkAccountInput, normalizeUsername } from '../accounts/account-input.ts';
import { createRedisUserStore } from '../accounts/redis-user-store.ts';
import { userStoreOptions } from '../accounts/settings.ts';
import type { Account, AccountProfile, UserStore } from '../accounts/user-store.ts';
import { loadConfig } from '../config/load-config.ts';
import { redisRevocations } from '../revocation/redis-revocations.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { deleteUser, setUserDisabled } from '../admin/user-operations.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand, CliIo } from './cli-io.ts';
import { parseFlags } from './parse-flags.ts';
import { readPassword } from './read-password.ts';
import { withRedis } from './with-redis.ts';

const USAGE = `usage: tessera users add <username> [--email E] [--email-verified] [--name N] [--given-name G] [--family-name F]
       tessera users list
       tessera users disable|enable|set-password|delete <username>
  The password is the first line of stdin, or is asked for twice on a terminal.`;

const ONE_USER = ['disable', 'enable', 'set-password', 'delete'];
const PROFILE_FLAGS = ['email', 'name', 'given-name', 'family-name'];

interface Action {
  readonly sub: string;
  readonly username: string;
  readonly profile: AccountProfile;
}

/** `tessera users …`: account management through the same user store the server uses. */
export const usersCommand: CliCommand = async (args, io) => {
  const action = parseAction(args);
  const config = loadConfig(io.env);
  return withRedis(config, 'users', (redis) => run(action, createRedisUserStore(userStoreOptions(config, redis)), redisRevocations(config, redis), io));
};

/** Checks the arguments completely before anything connects or is written. */
function parseAction(args: string[]): Action {
  const [sub, username, ...rest] = args;
  if (sub === 'list') {
    if (args.length > 1) throw new UsageError(`unexpected argument: ${args[1]}`, USAGE);
    return { sub, username: '', profile: {} };
  }
  if (!sub || (sub !== 'add' && !ONE_USER.includes(sub))) throw new UsageError(sub ? `unknown users command: ${sub}` : 'missing users command', USAGE);
  if (!username || username.startsWith('--')) throw new UsageError(`users ${sub} needs a username`, USAGE);
  if (sub !== 'add') {
    if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`, USAGE);
    return { sub, username, profile: {} };
  }
  const flags = parseFlags(rest, PROFILE_FLAGS, USAGE, ['email-verified']);
  const profile: AccountProfile = {
    email: flags.email,
    email_verified: flags['email-verified'] === 'true',
    name: flags.name,
    given_name: flags['given-name'],
    family_name: flags['family-name'],
  };
  const problems = checkAccountInput({ username, ...profile });
  if (problems.length) throw new UsageError(problems.join('; '), USAGE);
  return { sub, username, profile };
}

async function run({ sub, username, profile }: Action, store: UserStore, revocations: Revocations, io: CliIo): Promise<number> {
  if (sub === 'list') {
    io.stdout.write(formatList(await store.list()));
    return 0;
  }
  const name = normalizeUsername(username);
  const account = await store.findByUsername(name);
  if (sub === 'add') {
    if (account) throw new Error(`user ${name} already exists`);
    const created = await store.create({ username: name, password: await readPassword(io), ...profile });
    io.stdout.write(`created user ${created.username} (sub ${created.id})\n`);
    return 0;
  }
  if (!account) throw new Error(`user ${name} not found`);
  if (sub === 'disable' || sub === 'enable') {
    await setUserDisabled({ users: store, revocations }, account.id, sub === 'disable');
    io.stdout.write(`${sub}d user ${name}${sub === 'disable' ? '; every access token of the user is revoked' : ''}\n`);
  } else if (sub === 'set-password') {
    await store.setPassword(account.id, await readPassword(io));
    io.stdout.write(`changed the password of user ${name}\n`);
  } else {
    await deleteUser({ users: store, revocations }, account.id);
    io.stdout.write(`deleted user ${name}; every access token of the user is revoked\n`);
  }
  return 0;
}

function formatList(accounts: readonly Account[]): string {
  if (!accounts.length) return 'no users\n';
  const rows = [['username', 'sub', 'email', 'status'], ...accounts.map((a) => [a.username, a.id, a.email ?? '-', a.disabled ? 'disabled' : 'enabled'])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return `${rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')).join('\n')}\n`;
}
