import { readFileSync } from 'node:fs';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { FUZZ_CLIENT } from './live-interaction.ts';

/** The Tessera a fuzz run attacks: on Redis, with one confidential code-flow client. */
export function startFuzzTarget(): Promise<TesseraProcess> {
  return startTessera({ env: { NODE_ENV: 'test', LOG_LEVEL: 'info' }, configFile: { clients: [FUZZ_CLIENT] } });
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Math.round(Number(line[1]) / 102.4) / 10 : NaN;
}
