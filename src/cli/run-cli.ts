import { ConfigError } from '../config/config-error.ts';
import { SIGNING_ALGS } from '../config/signing-algorithms.ts';
import { cliAudit, cliChange, operator } from './cli-audit.ts';
import { UsageError } from './cli-io.ts';
import type { CliCommand, CliIo } from './cli-io.ts';
import { clientsCommand } from './clients-command.ts';
import { keysCommand } from './keys-command.ts';
import { revokeCommand } from './revoke-command.ts';
import { usersCommand } from './users-command.ts';

const COMMANDS: Record<string, CliCommand> = {
  clients: clientsCommand,
  keys: keysCommand,
  revoke: revokeCommand,
  users: usersCommand,
};

const USAGE = `usage: tessera <command> …
commands:
  clients add|list|show|remove|reset-secret …
  keys generate --alg ${SIGNING_ALGS.join('|')} [--name NAME] | rotate [--immediately] | list | import-dir | export-dir
  revoke --grant ID | --sub SUB | --client CLIENT_ID | --jti JTI
  users add|list|disable|enable|set-password|delete …`;

/**
 * Runs one CLI invocation; returns the exit code (0 ok, 1 failed, 2 bad usage). Never prints a
 * stack trace. Every invocation that changes something (all but list and show) is audited as
 * `cli.change`, with its outcome; one refused for bad usage changed nothing and is not.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const audit = io.audit ?? cliAudit(io);
  const code = await runCommand(argv, { ...io, audit });
  const change = code === 2 ? undefined : cliChange(argv);
  if (change)
    audit({
      event: 'cli.change',
      actor: operator(),
      target: change.target,
      outcome: code === 0 ? 'success' : 'failure',
      command: change.command,
      exitCode: code,
    });
  return code;
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(name ? `unknown command: ${name}` : 'missing command', USAGE);
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`tessera: ${err.message}\n${err.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    io.stderr.write(`tessera: ${(err as Error).message}\n`);
    return 1;
  }
}
