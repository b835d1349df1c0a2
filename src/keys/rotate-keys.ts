import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { keyPublicationLead } from '../config/load-config.ts';
import type { Config } from '../config/load-config.ts';
import { GENERATABLE_ALGS, generateKeyPem } from './generate-key.ts';
import type { GeneratableAlg } from './generate-key.ts';
import { listKeyFiles } from './key-files.ts';
import { readManifest, writeManifest } from './key-manifest.ts';
import type { KeyManifest } from './key-manifest.ts';
import { loadKeys } from './load-keys.ts';
import { planRotation } from './rotation-plan.ts';
import type { RotationKey, RotationPlan, RotationTimings } from './rotation-plan.ts';

/** Seconds of clock difference between Tessera and resource servers that rotation allows for. */
const CLOCK_SKEW = 60;
const LOCK_FILE = '.rotation.lock';
/** A lock older than this belongs to a rotation that died; it is taken over. */
const STALE_LOCK_MS = 60_000;

/** The rotation windows that follow from the configuration. */
export function rotationTimings(config: Config): RotationTimings {
  const longestToken = Math.max(config.idTokenTTL, ...config.resourceServers.map((rs) => rs.accessTokenTTL));
  return {
    publishLead: keyPublicationLead(config),
    retireAfter: longestToken + CLOCK_SKEW,
    interval: config.keyRotationInterval,
  };
}

export class RotationBusyError extends Error {}

export interface RotateOptions {
  readonly config: Config;
  readonly scheduled?: boolean;
  readonly immediately?: boolean;
  readonly now?: number;
}

/**
 * One rotation step on CERTS_DIR (see planRotation), under a lock file so that instances on a
 * schedule and an operator never rotate at the same time. The files change in an order in which
 * a reader either sees the previous keys or refuses what it reads (and keeps its keys): retired
 * files go first, a new key is written under a temporary name, keys.json is replaced, then the
 * new key takes its name.
 */
export async function rotateKeys({ config, scheduled = false, immediately = false, now = Date.now() }: RotateOptions): Promise<RotationPlan> {
  const dir = config.certsDir;
  if (!listKeyFiles(dir).some((f) => f.kind !== 'certificate')) {
    throw new Error(`CERTS_DIR ${dir} holds no key to rotate; add one with: tessera keys generate`);
  }
  const release = lock(dir);
  try {
    const keys = await loadKeys({ dir, passphrase: config.certsPassphrase });
    const current: RotationKey[] = keys.keys.map((k) => ({
      stem: k.stem, alg: k.algs[0]!, state: k.state, since: k.since ? Date.parse(k.since) : undefined,
    }));
    const plan = planRotation(current, { now, timings: rotationTimings(config), scheduled, immediately }, newStem);
    if (!plan.generate.length && !plan.drop.length && !plan.promoted.length && sameStates(current, plan.keys)) return plan;

    const problems: string[] = [];
    const manifest = readManifest(dir, problems);
    if (problems.length) throw new Error(problems.join('; '));
    for (const key of plan.drop) {
      for (const file of listKeyFiles(dir).filter((f) => f.stem === key.stem)) rmSync(file.path);
    }
    const written = plan.generate.map((key) => {
      const temporary = join(dir, `.${key.stem}.pem.tmp`);
      writeFileSync(temporary, generateKeyPem(key.alg as GeneratableAlg, config.certsPassphrase), { mode: 0o600, flag: 'wx' });
      return { temporary, path: join(dir, `${key.stem}.pem`) };
    });
    writeManifest(dir, nextManifest(manifest, plan));
    for (const file of written) renameSync(file.temporary, file.path);
    return plan;
  } finally {
    release();
  }
}

function newStem(alg: string): string {
  if (!(GENERATABLE_ALGS as readonly string[]).includes(alg)) throw new Error(`cannot generate a key for ${alg}`);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${alg.toLowerCase()}-${stamp}-${randomBytes(3).toString('hex')}`;
}

function nextManifest(manifest: KeyManifest, plan: RotationPlan): KeyManifest {
  const generated = new Set(plan.generate.map((k) => k.stem));
  const next: KeyManifest = {};
  for (const key of plan.keys) {
    next[key.stem] = { ...manifest[key.stem], ...(generated.has(key.stem) ? { alg: key.alg as GeneratableAlg } : {}), state: key.state,
      ...(key.since !== undefined ? { since: new Date(key.since).toISOString() } : {}) };
  }
  return next;
}

function sameStates(before: readonly RotationKey[], after: readonly RotationKey[]): boolean {
  return before.length === after.length
    && before.every((k) => after.some((a) => a.stem === k.stem && a.state === k.state && a.since === k.since));
}

function lock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue;
      }
      if (age < STALE_LOCK_MS) break;
      rmSync(path, { force: true });
    }
  }
  throw new RotationBusyError(`another key rotation is running in ${dir} (${LOCK_FILE}); try again in a minute`);
}
