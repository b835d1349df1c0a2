import { ConfigError } from '../config/config-error.ts';
import type { Logger } from '../observability/logger.ts';
import { keySummary } from './key-summary.ts';
import type { KeySet } from './load-keys.ts';

/** The keys in use and what was built from them (the protocol engine, whose keystore is fixed when it is made). */
export interface KeyGeneration<T> {
  readonly keys: KeySet;
  readonly built: T;
}

/** What is built from the keys in use, rebuilt when they change. */
export interface KeyedRebuild<T> {
  current(): KeyGeneration<T>;
  /** Reads CERTS_DIR again; on a change, builds anew and swaps. A directory that fails to load leaves everything as it was. */
  reload(reason: string): Promise<void>;
}

export interface RebuildOnKeyChangeOptions<T> {
  readonly initial: KeySet;
  readonly load: () => Promise<KeySet>;
  readonly build: (keys: KeySet) => T;
  readonly logger: Logger;
  /** Called after a swap, e.g. to log the new configuration fingerprint. */
  readonly onSwap?: (generation: KeyGeneration<T>) => void;
}

/**
 * Keys that change without a restart: on a reload that finds other keys, what is built from them
 * (the protocol engine) is built anew and swapped in whole. Requests in flight finish with the
 * generation they began with; new requests get the new one. Reloads run one at a time; one asked
 * for while another runs happens after it.
 */
export function rebuildOnKeyChange<T>({ initial, load, build, logger, onSwap }: RebuildOnKeyChangeOptions<T>): KeyedRebuild<T> {
  let generation: KeyGeneration<T> = { keys: initial, built: build(initial) };
  let running: Promise<void> | undefined;
  /** The reason of a reload asked for while one runs; it runs next, under that reason. */
  let again: string | undefined;

  async function reloadOnce(reason: string): Promise<void> {
    let keys: KeySet;
    try {
      keys = await load();
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : [(err as Error).message];
      logger.error({ event: 'keys.reload_failed', reason, problems }, 'CERTS_DIR could not be loaded; the keys in use are kept');
      return;
    }
    if (sameKeys(keys, generation.keys)) {
      logger.info({ event: 'keys.unchanged', reason }, 'CERTS_DIR read again; the keys are the same');
      return;
    }
    generation = { keys, built: build(keys) };
    logger.info({ event: 'keys.reloaded', reason, keys: keySummary(keys) }, 'signing keys reloaded');
    onSwap?.(generation);
  }

  return {
    current: () => generation,
    async reload(reason) {
      if (running) {
        again = reason;
        return running;
      }
      running = (async () => {
        for (let next: string | undefined = reason; next !== undefined; next = again) {
          again = undefined;
          await reloadOnce(next);
        }
      })().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

function sameKeys(a: KeySet, b: KeySet): boolean {
  return (
    a.keys.length === b.keys.length &&
    a.keys.every(
      (k, i) =>
        k.kid === b.keys[i]!.kid &&
        k.state === b.keys[i]!.state &&
        k.since === b.keys[i]!.since &&
        JSON.stringify(k.publicJwk) === JSON.stringify(b.keys[i]!.publicJwk),
    )
  );
}
