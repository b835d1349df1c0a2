import { STATUS_CODES } from 'node:http';

import type { Context } from 'koa';

import type { Logger } from '../observability/logger.ts';

/** An RFC 9457 problem the admin API answers with; `detail` and `errors` are sent as they are. */
export class AdminProblem extends Error {
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly string[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, { errors, headers = {} }: { errors?: readonly string[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'AdminProblem';
    this.status = status;
    this.detail = detail;
    this.errors = errors;
    this.headers = headers;
  }
}

/** The `application/problem+json` body of a status: `type` about:blank, `title` the status phrase. */
export function problemBody(status: number, detail: string, errors?: readonly string[]): Record<string, unknown> {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) };
}

/** The one place that turns an admin API error into a response; anything unexpected is a 500 whose cause is logged only. */
export function respondWithProblem(ctx: Context, thrown: unknown, logger: Logger): void {
  ctx.set('Cache-Control', 'no-store');
  if (thrown instanceof AdminProblem) {
    for (const [name, value] of Object.entries(thrown.headers)) ctx.set(name, value);
    ctx.status = thrown.status;
    ctx.body = problemBody(thrown.status, thrown.detail, thrown.errors);
  } else {
    logger.error({ event: 'server_error', requestId: ctx.state.requestId, err: thrown }, 'unhandled error in the admin API');
    ctx.status = 500;
    ctx.body = problemBody(500, 'internal server error');
  }
  ctx.type = 'application/problem+json';
}
