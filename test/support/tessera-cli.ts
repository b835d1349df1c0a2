import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { ROOT } from './tessera.ts';
import { withoutAudit } from './audit-lines.ts';

/** Runs `tessera <args>` against the Redis of a test Tessera (no CONFIG_FILE unless `redisEnv` names one); its exit code and output. */
export function tesseraCli(
  redisEnv: { REDIS_URL: string; REDIS_KEY_PREFIX: string },
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CONFIG_FILE: '', ...redisEnv },
  });
  return { code: run.status, stdout: run.stdout, stderr: withoutAudit(run.stderr) };
}

/**
 * Runs `tessera <args>` with `env` (on top of PATH) without blocking the event loop, for tests
 * whose servers run in the test process and must keep answering meanwhile; its exit code and output.
 */
export function tesseraCliAsync(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/tessera.js'), ...args],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr: withoutAudit(stderr) }),
    );
  });
}
