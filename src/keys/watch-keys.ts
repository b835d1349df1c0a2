import { readdirSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface KeyWatchOptions {
  readonly dir: string;
  /** Seconds between checks of the directory's files (0: file-system events only). */
  readonly interval: number;
  /** Called, once things settle, after the directory's files changed. */
  readonly onChange: () => void;
}

/** How long changes must pause before `onChange` runs: a rotation writes several files. */
const SETTLE_MS = 200;

/**
 * Watches CERTS_DIR for changed keys: file-system events where the platform gives them, and a
 * periodic comparison of names, sizes and modification times where it does not (network and
 * container volumes). Returns a function that stops watching.
 */
export function watchKeys({ dir, interval, onChange }: KeyWatchOptions): () => void {
  let seen = snapshot(dir);
  let settle: NodeJS.Timeout | undefined;
  const changed = (): void => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      const now = snapshot(dir);
      if (now === seen) return;
      seen = now;
      onChange();
    }, SETTLE_MS);
    settle.unref();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, changed);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  const poll = interval > 0 ? setInterval(changed, interval * 1000) : undefined;
  poll?.unref();
  return () => {
    watcher?.close();
    clearInterval(poll);
    clearTimeout(settle);
  };
}

/** Names, sizes and modification times of the directory's visible files. */
function snapshot(dir: string): string {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => {
        try {
          const stat = statSync(join(dir, name));
          return `${name}:${stat.size}:${stat.mtimeMs}`;
        } catch {
          return `${name}:gone`;
        }
      })
      .join('\n');
  } catch {
    return '';
  }
}
