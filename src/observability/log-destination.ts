import { writeSync } from 'node:fs';

import type { DestinationStream } from 'pino';

/** Lines written at once, together with every line buffered before them: warnings and worse. */
const URGENT = /^\{"level":"(?:warn|error|fatal)"/;

/** Something to wait on when the descriptor is momentarily full (a non-blocking pipe). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

const STDOUT = 1;
/** Buffered characters that bring a write. */
const MAX_BYTES = 8 * 1024;
/** Longest time a routine line waits in the buffer, in milliseconds. */
const MAX_DELAY_MS = 100;

/**
 * Log lines to stdout in batches: routine lines (info and below, such as the access log) wait
 * until 8 KiB have gathered or 100 ms have passed, so that a busy token endpoint pays one write
 * for many requests instead of one each. A warning or worse is written at once with everything
 * before it, and what is left is written when the process exits; a line can be lost only when
 * the process is killed outright (SIGKILL, out of memory). `flush` writes what is buffered now.
 */
export function batchedDestination(): DestinationStream & { flush(): void } {
  let lines: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  let failed = false;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0) return;
    const data = Buffer.from(lines.join(''));
    lines = [];
    size = 0;
    try {
      writeFully(STDOUT, data);
    } catch (err) {
      // The log must never take the server down; say so once, where it can still be seen.
      if (!failed)
        process.stderr.write(`Tessera could not write its log (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); lines are dropped\n`);
      failed = true;
    }
  };
  process.once('exit', flush);

  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= MAX_BYTES || URGENT.test(line)) flush();
      else timer ??= setTimeout(flush, MAX_DELAY_MS).unref();
    },
    flush,
  };
}

/** How long a full descriptor is waited for before the batch is given up. */
const FULL_WAIT_MS = 1000;

/** Writes all of `data`, waiting briefly whenever a non-blocking descriptor is full. */
function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  let waited = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= FULL_WAIT_MS) throw err;
      Atomics.wait(PAUSE, 0, 0, 5);
      waited += 5;
    }
  }
}
