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
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  duration: number;
}

/** Drives `url` with autocannon (a separate process on core 0) for a fixed time. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const args = [join(ROOT, 'node_modules/autocannon/autocannon.js'), '--json', '--duration', String(options.seconds),
    '--connections', String(options.connections), '--method', options.method ?? 'GET'];
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
}

/** Like {@link load}, each request with the next body of a pool (shared by all connections). */
export async function loadFromPool(options: PoolLoadOptions): Promise<LoadResult> {
  const plan = join(mkdtempSync(join(tmpdir(), 'tessera-bench-plan-')), 'plan.json');
  writeFileSync(plan, JSON.stringify(options));
  return runPinned([join(ROOT, 'bench/lib/body-pool-runner.ts'), plan]);
}

/**
 * A load from a pool of bodies, run after run: each run goes on where the last one stopped
 * (estimated generously, at 4,000 requests/s), so no body is sent twice in a row.
 */
export function rotatingPool(url: string, connections: number, headers: Record<string, string>, bodies: string[]): (seconds: number) => Promise<LoadResult> {
  let start = 0;
  return (seconds) => {
    const from = start;
    start += Math.ceil(4000 * seconds);
    return loadFromPool({ url, seconds, connections, headers, bodies, start: from });
  };
}

async function runPinned(args: string[]): Promise<LoadResult> {
  const [command, argv] = pinned(0, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as AutocannonJson;
  const ok = result.requests.total - result.non2xx;
  return { rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
