import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `command args…` (node by default), pinned to one core with taskset when the machine has it. */
export function pinned(core: number, args: string[], command = process.execPath): [string, string[]] {
  return HAS_TASKSET ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

export interface Server {
  readonly url: string;
  /** The server's process id (the process taskset became). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a server process and resolves once it answers HTTP on `port`. Its stdout (the log)
 * goes to /dev/null as a log shipper would take it away; stderr is kept for error messages.
 */
export async function startServer(args: string[], env: Record<string, string>, port: number, core = 1): Promise<Server> {
  const [command, argv] = pinned(core, args);
  const child: ChildProcess = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (errors.length < 20_000) errors += chunk.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}:\n${errors}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not answer on port ${port}:\n${errors}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
