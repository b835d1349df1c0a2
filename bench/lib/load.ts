import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pinned, ROOT } from './processes.ts';

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface AutocannonJson {
  /** Set by the body-pool runner: the pool turn after its last request. */
  next?: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  duration: number;
}

/** Drives `url` with autocannon (a separate process on core 0) for a fixed time. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const args = [
    join(ROOT, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '--duration',
    String(options.seconds),
    '--connections',
    String(options.connections),
    '--method',
    options.method ?? 'GET',
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('--headers', `${name}=${value}`);
  if (options.body !== undefined) args.push('--body', options.body);
  args.push(options.url);
  return runPinned(args);
}

/** What {@link loadFromPool} sends: POSTs whose bodies come in turn from `bodies`, from `start` on. */
export interface PoolLoadOptions {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly headers: Record<string, string>;
  readonly bodies: readonly string[];
  readonly start: number;
  /** Each pool entry is a bearer token, sent in the Authorization header of a GET. */
  readonly bearer?: boolean;
}

/** Like {@link load}, each request with the next body of a pool (shared by all connections); `next` is the turn after the last one sent. */
export async function loadFromPool(options: PoolLoadOptions): Promise<LoadResult & { readonly next: number }> {
  const plan = join(mkdtempSync(join(tmpdir(), 'tessera-bench-plan-')), 'plan.json');
  writeFileSync(plan, JSON.stringify(options));
  return runPinned([join(ROOT, 'bench/lib/body-pool-runner.ts'), plan]);
}

/**
 * A load from a pool of bodies (or, with `bearer`, of bearer tokens), run after run: each run
 * goes on exactly where the last one stopped, so no entry is sent twice in a row.
 */
export function rotatingPool(
  url: string,
  connections: number,
  headers: Record<string, string>,
  bodies: string[],
  { bearer = false }: { bearer?: boolean } = {},
): (seconds: number) => Promise<LoadResult> {
  let start = 0;
  return async (seconds) => {
    const result = await loadFromPool({ url, seconds, connections, headers, bodies, start, bearer });
    start = result.next;
    return result;
  };
}

async function runPinned(args: string[]): Promise<LoadResult & { readonly next: number }> {
  const [command, argv] = pinned(0, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as AutocannonJson;
  const ok = result.requests.total - result.non2xx;
  return { rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, next: result.next ?? 0 };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
