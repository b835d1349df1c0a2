import type { IncomingMessage } from 'node:http';

/** Most body bytes read and thrown away so that a refused request still gets its answer. */
const DRAIN_BYTES = 16 * 1024 * 1024;
const DRAIN_MS = 2_000;

/**
 * Reads and discards what is left of a request body that no handler consumed (a refused or
 * oversized body, a body on a route that takes none), within bounds, before the response is
 * sent. Closing a connection with unread bytes makes the kernel reset it, and the client then
 * loses the answer it was sent; a body larger than the bounds is cut off all the same.
 */
export async function drainRequest(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return;
  await new Promise<void>((done) => {
    let read = 0;
    const finish = (): void => {
      clearTimeout(timer);
      req.off('data', count).off('end', finish).off('error', finish).off('close', finish);
      done();
    };
    const count = (chunk: Buffer): void => {
      read += chunk.length;
      if (read > DRAIN_BYTES) finish();
    };
    const timer = setTimeout(finish, DRAIN_MS);
    req.on('data', count).once('end', finish).once('error', finish).once('close', finish);
    req.resume();
  });
}
