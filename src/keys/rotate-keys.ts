import { randomBytes } from 'node:crypto';

import { keyPublicationLead } from '../config/key-publication-lead.ts';
import type { Config } from '../config/load-config.ts';
import { algorithmPin } from './algorithm-pin.ts';
import { GENERATABLE_ALGS } from './generate-key.ts';
import type { GeneratableAlg } from './generate-key.ts';
import type { KeyManifest } from './key-manifest.ts';
import { fileKeyStore } from './file-key-store.ts';
import type { KeyStore } from './key-store.ts';
import { planRotation } from './rotation-plan.ts';
import type { RotationKey, RotationPlan, RotationTimings } from './rotation-plan.ts';

/** Seconds of clock difference between Tessera and resource servers that rotation allows for. */
const CLOCK_SKEW = 60;

/** The rotation windows that follow from the configuration. */
export function rotationTimings(config: Config): RotationTimings {
  const longestToken = Math.max(config.idTokenTTL, ...config.resourceServers.map((rs) => rs.accessTokenTTL));
  return {
    publishLead: keyPublicationLead(config),
    retireAfter: longestToken + CLOCK_SKEW,
    interval: config.keyRotationInterval,
  };
}

export { RotationBusyError } from './key-store.ts';

export interface RotateOptions {
  readonly config: Config;
  /** Where the keys are (src/keys/open-key-store.ts); default CERTS_DIR, which KEYS_STORE=redis does not allow. */
  readonly store?: KeyStore;
  readonly scheduled?: boolean;
  readonly immediately?: boolean;
  readonly now?: number;
}

/**
 * One rotation step on the key store (see planRotation), under the store's lock so that
 * instances on a schedule and an operator never rotate at the same time; the store writes the
 * step so that a reader sees the keys before it or after it.
 */
export async function rotateKeys({
  config,
  store = defaultStore(config),
  scheduled = false,
  immediately = false,
  now = Date.now(),
}: RotateOptions): Promise<RotationPlan> {
  if (!(await store.hasKeys())) {
    throw new Error(`${store.label} ${store.where} holds no key to rotate; add one with: tessera keys generate`);
  }
  return store.rotating(async (apply) => {
    const keys = await store.load();
    const current: RotationKey[] = keys.keys.map((k) => ({
      stem: k.stem,
      alg: k.algs[0]!,
      state: k.state,
      since: k.since ? Date.parse(k.since) : undefined,
    }));
    const plan = planRotation(current, { now, timings: rotationTimings(config), scheduled, immediately }, newStem);
    if (!plan.generate.length && !plan.drop.length && !plan.promoted.length && sameStates(current, plan.keys)) return plan;
    const manifest = await store.readManifest();
    await apply({
      drop: plan.drop.map((k) => k.stem),
      generate: plan.generate.map((k) => ({ stem: k.stem, alg: k.alg as GeneratableAlg })),
      manifest: nextManifest(manifest, plan),
    });
    return plan;
  });
}

function defaultStore(config: Config): KeyStore {
  if (config.keysStore !== 'files') throw new Error('KEYS_STORE is redis: rotation needs the Redis key store');
  return fileKeyStore({ dir: config.certsDir, passphrase: config.certsPassphrase });
}

function newStem(alg: string): string {
  if (!(GENERATABLE_ALGS as readonly string[]).includes(alg)) throw new Error(`cannot generate a key for ${alg}`);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${alg.toLowerCase()}-${stamp}-${randomBytes(3).toString('hex')}`;
}

function nextManifest(manifest: KeyManifest, plan: RotationPlan): KeyManifest {
  const generated = new Set(plan.generate.map((k) => k.stem));
  const next: KeyManifest = {};
  for (const key of plan.keys) {
    next[key.stem] = {
      ...manifest[key.stem],
      ...(generated.has(key.stem) ? algorithmPin(key.alg as GeneratableAlg) : {}),
      state: key.state,
      ...(key.since !== undefined ? { since: new Date(key.since).toISOString() } : {}),
    };
  }
  return next;
}

function sameStates(before: readonly RotationKey[], after: readonly RotationKey[]): boolean {
  return before.length === after.length && before.every((k) => after.some((a) => a.stem === k.stem && a.state === k.state && a.since === k.since));
}
