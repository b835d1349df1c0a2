import type { Context } from 'koa';

const LIMIT = 16 * 1024;

/** An interaction form could not be read: a 400/413 with a message for the page. */
export class FormError extends Error {
  readonly status: number;
  readonly expose = true;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'FormError';
    this.status = status;
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most 16 KiB. A larger one is a 413
 * FormError; the request is never destroyed, so the answer (and its log line) still reach the
 * client.
 */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormError(400, 'The form was not sent as a form.');
  if (Number(ctx.get('content-length')) > LIMIT) throw tooLarge(ctx);
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const settle = (outcome: () => void): void => {
      req.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onFailure);
      outcome();
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > LIMIT) settle(() => reject(tooLarge(ctx)));
      else chunks.push(chunk);
    }
    function onEnd(): void {
      settle(() => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    }
    function onFailure(): void {
      settle(() => reject(new FormError(400, 'The form did not arrive whole.')));
    }
    req.on('data', onData).on('end', onEnd).on('error', onFailure).on('close', onFailure);
  });
}

/**
 * The 413 for a body over the limit. The rest of the body is never kept: the request edge reads
 * and drops it within its bounds before the answer goes out (src/http/drain-request.ts), and the
 * connection closes after the answer, so a client streaming a huge body cannot hold it.
 */
function tooLarge(ctx: Context): FormError {
  ctx.set('Connection', 'close');
  return new FormError(413, 'The form is too large.');
}
