import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system, every thread) a process has used, from /proc (clock ticks of
 * 10 ms); undefined where /proc is missing.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
