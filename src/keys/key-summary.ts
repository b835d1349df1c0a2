import type { KeySet } from './load-keys.ts';

/** What the log says of keys: never key material. */
export function keySummary(keys: KeySet): { kid: string; state: string; algs: readonly string[]; source: string }[] {
  return keys.keys.map((k) => ({ kid: k.kid, state: k.state, algs: k.algs, source: k.source }));
}
