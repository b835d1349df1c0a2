// What Redis did, counted rather than guessed: executed commands from INFO commandstats, and the
// requests one client sent (round trips) from MONITOR.
import type { Redis } from 'ioredis';

import { monitorRedis } from './redis-monitor.ts';

/** Calls per command name (`hgetall`, `evalsha`, …). */
export type CommandCounts = Record<string, number>;

/** INFO commandstats as calls per command, every command Redis executed (also inside Lua and MULTI). */
export async function commandstats(redis: Redis): Promise<CommandCounts> {
  const info = await redis.info('commandstats');
  return Object.fromEntries(info.split('\n').filter((line) => line.startsWith('cmdstat_'))
    .map((line) => [line.slice(8, line.indexOf(':')), Number(/calls=(\d+)/.exec(line)?.[1] ?? 0)]));
}

/** `after − before`, leaving out the commands the measurement itself sends. */
export function countsBetween(before: CommandCounts, after: CommandCounts, ignore: readonly string[] = ['info', 'monitor']): CommandCounts {
  const delta: CommandCounts = {};
  for (const [name, calls] of Object.entries(after)) {
    const change = calls - (before[name] ?? 0);
    if (change > 0 && !ignore.includes(name)) delta[name] = change;
  }
  return delta;
}

/**
 * Requests clients sent while `operation` ran, from MONITOR: a MULTI…EXEC block counts once,
 * commands a Lua script ran count with their EVALSHA. Slows Redis down: never time under it.
 */
export async function countRequests(url: string, operation: () => Promise<unknown>): Promise<number> {
  const monitor = await monitorRedis(url);
  await operation();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const seen = monitor.stop();
  let requests = 0;
  let inMulti = false;
  for (const { name, source } of seen) {
    if (source === 'lua') continue;
    if (name === 'multi') inMulti = true;
    else if (name === 'exec' || name === 'discard') { inMulti = false; continue; }
    if (!inMulti || name === 'multi') requests++;
  }
  return requests;
}
