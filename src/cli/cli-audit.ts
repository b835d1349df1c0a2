import { userInfo } from 'node:os';

import { auditLogSetting } from '../config/audit-log-setting.ts';
import type { AuditActor } from '../observability/audit-catalogue.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import { auditLogger } from '../observability/audit-stream.ts';
import type { CliIo } from './cli-io.ts';

/** Subcommands that only read: everything else a command does is a change, and audited. */
const READ_ONLY: Readonly<Record<string, readonly string[]>> = { users: ['list'], clients: ['list', 'show', 'hash-secret'], keys: ['list'] };
const NAMED: Readonly<Record<string, string>> = { users: 'user', clients: 'client' };
const REVOKED: Readonly<Record<string, string>> = { '--grant': 'grant', '--sub': 'subject', '--client': 'client', '--jti': 'token' };

/** The operator running the CLI: the account of the process. */
export function operator(): AuditActor {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator:unknown';
  }
}

/**
 * What a CLI invocation changes: its command (`users disable`) and target (`user:alice`,
 * `client:billing`, `grant:…`, `keys`), or `undefined` for one that only reads. Flag values
 * never reach the target: only the positional name and what `revoke` names.
 */
export function cliChange(argv: readonly string[]): { command: string; target: string } | undefined {
  const [name, sub, ...rest] = argv;
  if (name === 'revoke') {
    const at = argv.findIndex((arg) => arg.split('=')[0]! in REVOKED);
    const flag = at < 0 ? undefined : argv[at]!;
    const value = flag?.includes('=') ? flag.slice(flag.indexOf('=') + 1) : argv[at + 1];
    return { command: 'revoke', target: flag && value ? `${REVOKED[flag.split('=')[0]!]}:${value.trim()}` : 'tokens' };
  }
  if (!name || !sub || !(name in READ_ONLY) || READ_ONLY[name]!.includes(sub)) return undefined;
  const kind = NAMED[name];
  const named = rest[0];
  return { command: `${name} ${sub}`, target: kind ? (named && !named.startsWith('--') ? `${kind}:${named}` : kind) : 'keys' };
}

/**
 * The audit of a CLI invocation, opened on first use: AUDIT_LOG's file, or the CLI's stderr for
 * `stdout` and `stderr` (its stdout is the command's output). An unusable AUDIT_LOG
 * leaves it on stderr: the command itself reports the setting.
 */
export function cliAudit(io: CliIo): Audit {
  let audit: Audit | undefined;
  const stderr = {
    write: (line: string) => {
      io.stderr.write(line);
    },
  };
  return (event) => {
    if (!audit) {
      const setting = auditLogSetting(io.env) ?? 'stderr';
      audit = createAudit(auditLogger(setting === 'stdout' ? 'stderr' : setting, { stdout: stderr, stderr }));
    }
    audit(event);
  };
}
