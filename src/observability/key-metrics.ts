import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

import { KEY_STATES } from '../keys/key-manifest.ts';
import type { KeySet } from '../keys/load-keys.ts';

/**
 * `tessera_signing_keys{state}` (next, active, retired) and, with a rotation schedule
 * (KEY_ROTATION_INTERVAL), `tessera_signing_key_rotation_due_seconds{alg}`: seconds until the
 * active key of each algorithm is due to be replaced (negative while a due rotation waits).
 * Read from the keys in use at each scrape.
 */
export function keyMetrics(
  registry: Registry,
  {
    keys,
    rotationInterval,
    now = Date.now,
  }: {
    keys: () => KeySet;
    /** Seconds an active key signs before a scheduled rotation (0: no schedule). */
    rotationInterval: number;
    now?: () => number;
  },
): void {
  new Gauge({
    name: 'tessera_signing_keys',
    help: 'Signing keys in CERTS_DIR, by state (next: published, not signing; active: signing; retired: published until its tokens expire).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = keys().keys;
      for (const state of KEY_STATES) this.set({ state }, current.filter((k) => k.state === state).length);
    },
  });
  if (rotationInterval <= 0) return;
  new Gauge({
    name: 'tessera_signing_key_rotation_due_seconds',
    help: 'Seconds until the active signing key of an algorithm is due for its scheduled rotation.',
    labelNames: ['alg'],
    registers: [registry],
    collect() {
      this.reset();
      const at = now();
      // The most recently activated key of an algorithm is the one that signs it (keys come active first, newest first).
      const seen = new Set<string>();
      for (const key of keys().keys) {
        const alg = key.algs[0];
        if (key.state !== 'active' || !alg || seen.has(alg) || !key.since) continue;
        seen.add(alg);
        this.set({ alg }, Math.round((Date.parse(key.since) + rotationInterval * 1000 - at) / 1000));
      }
    },
  });
}
