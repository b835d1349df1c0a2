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

/** Reads an `application/x-www-form-urlencoded` body of at most 16 KiB. */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormError(400, 'The form was not sent as a form.');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT) throw new FormError(413, 'The form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
