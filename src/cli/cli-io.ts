import type { Readable, Writable } from 'node:stream';

import type { Audit } from '../observability/audit-log.ts';

/** What a CLI command may touch: its streams and the environment (read by src/config only). */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Record<string, string | undefined>;
  /** Where a command audits what it did beyond its `cli.change` (key rotation steps); set by runCli. */
  readonly audit?: Audit | undefined;
}

/** A CLI command group: gets its own arguments, returns the exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** Thrown for bad arguments: the message and usage go to stderr, exit code 2, nothing written. */
export class UsageError extends Error {
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}
