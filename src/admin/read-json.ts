import type { Context } from 'koa';

import { AdminProblem } from './problem.ts';

const LIMIT = 64 * 1024;

/** Reads a JSON object body of at most 64 KiB; anything else is a 400, 413 or 415 problem. */
export async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) throw new AdminProblem(415, 'the body must be application/json');
  if (Number(ctx.get('content-length')) > LIMIT) throw new AdminProblem(413, `the body must be at most ${LIMIT} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT) throw new AdminProblem(413, `the body must be at most ${LIMIT} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AdminProblem(400, 'the body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new AdminProblem(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
