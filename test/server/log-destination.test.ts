import { spawn } from 'node:child_process';

import { ROOT } from '../support/tessera.ts';

const LOGGER = new URL('../../src/observability/logger.ts', import.meta.url).href;

interface Child {
  /** Parsed lines seen on stdout so far, with the time each arrived. */
  readonly lines: { msg: string; at: number }[];
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  kill(): void;
}

/** Runs `script` in a Node process that has `log`, a Tessera logger writing to stdout. */
function run(script: string, { closeStdout = false } = {}): Child {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const { createLogger } = await import(${JSON.stringify(LOGGER)}); const log = createLogger('info');\n${script}`],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: { msg: string; at: number }[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const line of complete) lines.push({ msg: String((JSON.parse(line) as { msg: unknown }).msg), at: Date.now() });
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (closeStdout) child.stdout.destroy();
  return {
    lines,
    stderr: () => stderr,
    kill: () => child.kill('SIGKILL'),
    exited: new Promise((done) => child.once('close', (code) => done(code))),
  };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) if (check()) return true;
  return check();
}

// The child lives a minute and is killed: a line seen before that was written by the batch
// timer, not at exit. The bound leaves a busy machine time to start Node and load the logger.
test('a routine line reaches stdout within the batch delay while the process keeps running', async () => {
  const child = run(`log.info('routine'); setTimeout(() => {}, 60000);`);
  try {
    expect(await until(() => child.lines.length === 1, 20_000)).toBe(true);
    expect(child.lines.map((l) => l.msg)).toEqual(['routine']);
  } finally {
    child.kill();
  }
});

test('a warning is written at once together with the routine lines before it, in order', async () => {
  // The warning comes 2 s after the routine lines; the periodic write is turned off by a long
  // event-loop block, so only the warning can have brought the earlier lines out.
  const child = run(`log.info('first'); log.info('second');
    const end = Date.now() + 1500; while (Date.now() < end);
    log.warn('trouble'); while (Date.now() < end + 1500); process.kill(process.pid, 'SIGKILL');`);
  await child.exited;
  expect(child.lines.map((l) => l.msg)).toEqual(['first', 'second', 'trouble']);
});

test('lines still buffered are written when the process exits', async () => {
  const child = run(`for (let i = 0; i < 50; i++) log.info('line ' + i); process.exit(0);`);
  expect(await child.exited).toBe(0);
  expect(child.lines.map((l) => l.msg)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
});

test('lines still buffered are written when the process dies of an uncaught exception', async () => {
  const child = run(`log.info('before the crash'); setTimeout(() => { throw new Error('boom'); }, 10);`);
  expect(await child.exited).toBe(1);
  expect(child.lines.map((l) => l.msg)).toEqual(['before the crash']);
  expect(child.stderr()).toContain('Error: boom');
});

test('many lines are written in order and none is lost', async () => {
  const child = run(`for (let i = 0; i < 5000; i++) log.info('line ' + i); setTimeout(() => process.exit(0), 300);`);
  expect(await child.exited).toBe(0);
  expect(child.lines).toHaveLength(5000);
  expect(child.lines.every((l, i) => l.msg === `line ${i}`)).toBe(true);
});

test('a closed stdout does not stop the process: it says so once on stderr', async () => {
  const child = run(
    `await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 3; i++) { log.error('lost ' + i); }
    process.stderr.write('still running\\n'); process.exit(0);`,
    { closeStdout: true },
  );
  expect(await child.exited).toBe(0);
  expect(child.stderr()).toBe('Tessera could not write its log (EPIPE); lines are dropped\nstill running\n');
});
