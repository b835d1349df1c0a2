// What Redis did, counted rather than guessed: executed commands from INFO commandstats, the
// reads it processed (round trips: commands one client sent together arrive in one read) from
// INFO stats, and the requests clients sent from MONITOR.
import type { Redis } from 'ioredis';

import { monitorRedis } from './redis-monitor.ts';
import type { MonitoredCommand } from './redis-monitor.ts';

/** Calls per command name (`hgetall`, `evalsha`, …). */
export type CommandCounts = Record<string, number>;

/** What Redis had done at one moment: calls per command (also inside Lua and MULTI), and the reads it had processed. */
export interface RedisActivity {
  readonly commands: CommandCounts;
  readonly reads: number;
}

/** INFO commandstats and stats, taken in one request (so one read). */
export async function redisActivity(redis: Redis): Promise<RedisActivity> {
  const info = String(await redis.call('INFO', 'commandstats', 'stats'));
  const commands = Object.fromEntries(
    info
      .split('\n')
      .filter((line) => line.startsWith('cmdstat_'))
      .map((line) => [line.slice(8, line.indexOf(':')), Number(/calls=(\d+)/.exec(line)?.[1] ?? 0)]),
  );
  return { commands, reads: Number(/total_reads_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN) };
}

/**
 * `after − before`: the commands executed, leaving out those the measurement itself sends, and
 * the reads processed, leaving out the one that brought the INFO taking `after`.
 */
export function activityBetween(before: RedisActivity, after: RedisActivity, ignore: readonly string[] = ['info', 'monitor']): RedisActivity {
  const commands: CommandCounts = {};
  for (const [name, calls] of Object.entries(after.commands)) {
    const change = calls - (before.commands[name] ?? 0);
    if (change > 0 && !ignore.includes(name)) commands[name] = change;
  }
  return { commands, reads: after.reads - before.reads - 1 };
}

/**
 * Requests among the commands MONITOR saw: a MULTI…EXEC block counts once, commands a Lua script
 * ran count with their EVALSHA, commands named in `ignore` not at all.
 */
export function requestsAmong(seen: readonly MonitoredCommand[], ignore: readonly string[] = []): number {
  let requests = 0;
  let inMulti = false;
  for (const { name, source } of seen) {
    if (source === 'lua' || ignore.includes(name)) continue;
    if (name === 'multi') inMulti = true;
    else if (name === 'exec' || name === 'discard') {
      inMulti = false;
      continue;
    }
    if (!inMulti || name === 'multi') requests++;
  }
  return requests;
}

/** Requests clients sent while `operation` ran (see {@link requestsAmong}). Slows Redis down: never time under it. */
export async function countRequests(url: string, operation: () => Promise<unknown>): Promise<number> {
  const monitor = await monitorRedis(url);
  await operation();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return requestsAmong(monitor.stop());
}
