import { endpointCase, interactionCase } from './fuzz-cases.ts';
import type { CaseLimits, LiveInteraction } from './fuzz-cases.ts';
import { judge } from './judge.ts';
import { Random } from './random.ts';
import { send } from './raw-request.ts';
import type { RawRequest, RawResponse } from './raw-request.ts';

export interface FuzzOptions {
  readonly port: number;
  readonly seed: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly limits: CaseLimits;
  /** Share of requests posted into a real interaction. */
  readonly interactionShare: number;
  /** A fresh interaction (an abort or a sign-in ends the current one). */
  readonly interaction: () => Promise<LiveInteraction>;
}

export interface FuzzFailure {
  readonly reason: string;
  readonly request: string;
  readonly status: number;
  readonly body: string;
}

export interface FuzzResult {
  readonly requests: number;
  /** Answers by status; `abandoned`: the request promised more bytes than it sent, and the client gave up waiting. */
  readonly statuses: Record<string, number>;
  readonly failures: readonly FuzzFailure[];
}

function describe(request: RawRequest): string {
  const head = request.raw ? request.raw.subarray(0, 120).toString('latin1') : `${request.method} ${request.path.slice(0, 200)}`;
  return `${head} [${request.headers.length} headers, ${request.raw?.length ?? request.body?.length ?? 0} bytes]`;
}

/** Sends `requests` seeded malformed requests, `concurrency` at a time, and judges every answer. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const random = new Random(options.seed);
  const statuses: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let live = await options.interaction();
  let sent = 0;
  const record = (request: RawRequest, response: RawResponse): void => {
    const status = response.status || (response.abandoned ? 'abandoned' : 'none');
    statuses[status] = (statuses[status] ?? 0) + 1;
    const reason = judge(request, response);
    if (reason) failures.push({ reason, request: describe(request), status: response.status, body: response.body.slice(0, 300) });
  };
  const worker = async (): Promise<void> => {
    while (sent < options.requests) {
      sent++;
      if (sent % 200 === 0) live = await options.interaction();
      const request = random.chance(options.interactionShare) ? interactionCase(random, options.limits, live) : endpointCase(random, options.limits);
      record(request, await send(options.port, request));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { requests: sent, statuses, failures };
}
