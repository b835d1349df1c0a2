import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './redis-server.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How long `logsOnce` waits for a line: routine lines come in batches, later on a busy machine. */
const LOG_WAIT_MS = 15_000;

/** A Tessera server process started by a test. */
export interface TesseraProcess {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** The Redis settings it runs with, when it uses Redis. */
  readonly redisEnv?: { REDIS_URL: string; REDIS_KEY_PREFIX: string };
  /** Every line the process wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /**
   * Resolves with the log lines once one matches `match`: routine lines reach stdout in
   * batches, up to 100 ms after the event. Rejects after 15 s (LOG_WAIT_MS), showing the output.
   */
  logsOnce(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Environment on top of a minimal one (PATH, HOME); values `undefined` are left out. */
  readonly env?: Record<string, string | undefined>;
  /** Written to a temporary JSON file passed as CONFIG_FILE. */
  readonly configFile?: Record<string, unknown>;
  /** Port to use; a free one by default. ISSUER defaults to http://127.0.0.1:<port>. */
  readonly port?: number;
  /** Use the test run's Redis (REDIS_URL); default true. */
  readonly redis?: boolean;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'tessera-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Instances started by this test process: with the port, the pid and random bytes, each one's own
 * Redis key prefix, even on a port used before and in a worker whose pid an earlier worker had (pids
 * wrap around at 32,768 here, and one test run starts thousands of processes).
 */
let instances = 0;

/**
 * Runs `node src/main.ts` with the given settings; resolves once it listens (rejects if it exits
 * first). A free port chosen here that another process takes before Tessera listens on it
 * (EADDRINUSE) is chosen again, twice at most; a port the test gave is not.
 */
export async function startTessera(options: StartOptions = {}): Promise<TesseraProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (options.port !== undefined || attempt === 3 || !(err as Error).message.includes('EADDRINUSE')) throw err;
    }
  }
}

async function startOnce(options: StartOptions): Promise<TesseraProcess> {
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'info',
    CERTS_DIR: tempDir('tessera-certs-'),
  };
  if (options.redis !== false && process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    env.REDIS_KEY_PREFIX = `t${port}-${process.pid}-${++instances}-${randomBytes(4).toString('hex')}:`;
  }
  if (options.configFile) {
    const file = join(tempDir(), 'tessera.json');
    writeFileSync(file, JSON.stringify(options.configFile));
    env.CONFIG_FILE = file;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  await new Promise<void>((ready, fail) => {
    const done = (err?: Error): void => {
      clearInterval(poll);
      clearTimeout(limit);
      if (err) fail(err);
      else ready();
    };
    const poll = setInterval(() => {
      if (output.includes('"event":"server.listening"')) done();
    }, 20);
    const limit = setTimeout(() => done(new Error(`Tessera did not start within 60 s:\n${output}`)), 60_000);
    void exited.then((code) => done(new Error(`Tessera exited with ${code} before listening:\n${output}`)));
  });

  const logs = (): Record<string, unknown>[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    url: env.ISSUER!,
    port,
    process: child,
    ...(env.REDIS_URL ? { redisEnv: { REDIS_URL: env.REDIS_URL, REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX ?? 'tessera:' } } : {}),
    output: () => output,
    logs,
    async logsOnce(match) {
      for (const deadline = Date.now() + LOG_WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        const lines = logs();
        if (lines.some(match)) return lines;
      }
      throw new Error(`no matching log line within ${LOG_WAIT_MS / 1000} s:\n${output}`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs `node src/main.ts` expecting it to refuse to start; resolves with its exit code and output. */
export async function runTesseraExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The /readyz body of an instance on Redis that is alone on its key prefix: healthy, or with `redis` unreachable. */
export function readyOnRedis(redis: 'ok' | 'unreachable' = 'ok'): Record<string, unknown> {
  return {
    status: redis === 'ok' ? 'ready' : 'not_ready',
    checks: { keys: 'ok', redis },
    fingerprint: { config: expect.stringMatching(/^[\w-]{16}$/), keys: expect.stringMatching(/^[\w-]{16}$/) },
    fleet: { instance: expect.any(String), instances: 1, mismatched: [] },
  };
}
