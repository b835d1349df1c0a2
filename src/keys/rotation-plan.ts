import type { KeyState } from './key-manifest.ts';

/** One key as rotation sees it: its file stem, the algorithm it signs, its state and since when. */
export interface RotationKey {
  readonly stem: string;
  readonly alg: string;
  readonly state: KeyState;
  /** Milliseconds since the epoch; `undefined` when keys.json gives no date. */
  readonly since: number | undefined;
}

export interface RotationTimings {
  /** Seconds a next key is published before it may sign: the JWKS cache lifetime plus the reload delay. */
  readonly publishLead: number;
  /** Seconds a retired key stays published: the longest lifetime of a token it signed, plus clock skew. */
  readonly retireAfter: number;
  /** Seconds an active key signs before a scheduled rotation replaces it (0: no schedule). */
  readonly interval: number;
}

export interface RotationRequest {
  readonly now: number;
  readonly timings: RotationTimings;
  /** Scheduled rotation replaces an active key only once it is `interval` old; `tessera keys rotate` does not wait. */
  readonly scheduled: boolean;
  /** Let a next key sign at once, even if resource servers may not have fetched it yet (a compromised key). */
  readonly immediately: boolean;
}

/** What one rotation step does; `keys` is every key after it, new ones included. */
export interface RotationPlan {
  readonly keys: readonly RotationKey[];
  readonly generate: readonly RotationKey[];
  readonly drop: readonly RotationKey[];
  readonly promoted: readonly { readonly key: RotationKey; readonly retired: readonly RotationKey[] }[];
  /** Next keys still waiting to be published long enough, with when they may sign. */
  readonly waiting: readonly { readonly key: RotationKey; readonly signsFrom: number }[];
}

/**
 * One rotation step, for each algorithm that has an active or next key:
 * drop retired keys whose tokens have all expired; promote the oldest next key that has been
 * published for `publishLead` (the active key becomes retired); and make sure a next key is
 * published, so the following rotation does not wait. Pure: the caller writes the result.
 */
export function planRotation(current: readonly RotationKey[], request: RotationRequest, newStem: (alg: string) => string): RotationPlan {
  const { now, timings, scheduled, immediately } = request;
  const at = (seconds: number): number => seconds * 1000;
  const stamped = current.map((k) => (k.since === undefined && k.state !== 'active' ? { ...k, since: now } : k));
  const drop = stamped.filter((k) => k.state === 'retired' && k.since! + at(timings.retireAfter) <= now);
  let keys = stamped.filter((k) => !drop.includes(k));
  const generate: RotationKey[] = [];
  const promoted: { key: RotationKey; retired: RotationKey[] }[] = [];
  const waiting: { key: RotationKey; signsFrom: number }[] = [];

  const algs = [...new Set(keys.filter((k) => k.state !== 'retired').map((k) => k.alg))];
  for (const alg of algs) {
    const family = keys.filter((k) => k.alg === alg);
    const active = family.filter((k) => k.state === 'active');
    const due = !scheduled || !active.length || active.every((k) => k.since === undefined || k.since + at(timings.interval) <= now);
    let candidates = family.filter((k) => k.state === 'next').sort((a, b) => a.since! - b.since!);
    if (!candidates.length && immediately && due) {
      const fresh: RotationKey = { stem: newStem(alg), alg, state: 'next', since: now };
      generate.push(fresh);
      candidates = [fresh];
      keys = [...keys, fresh];
    }
    const ready = candidates.find((k) => immediately || k.since! + at(timings.publishLead) <= now);
    if (ready && due) {
      const retired = active.map((k) => ({ ...k, state: 'retired' as const, since: now }));
      const activated = { ...ready, state: 'active' as const, since: now };
      keys = keys.map((k) => (k === ready ? activated : (retired.find((r) => r.stem === k.stem) ?? k)));
      promoted.push({ key: activated, retired });
      const index = generate.indexOf(ready);
      if (index >= 0) generate[index] = activated;
    }
    for (const key of candidates.filter((k) => k !== ready || !due)) {
      waiting.push({ key, signsFrom: Math.max(key.since! + at(timings.publishLead), scheduled ? nextDue(active, timings, now) : 0) });
    }
    if (!keys.some((k) => k.alg === alg && k.state === 'next')) {
      const fresh: RotationKey = { stem: newStem(alg), alg, state: 'next', since: now };
      generate.push(fresh);
      keys = [...keys, fresh];
      waiting.push({ key: fresh, signsFrom: now + at(timings.publishLead) });
    }
  }
  return { keys, generate, drop, promoted, waiting };
}

function nextDue(active: readonly RotationKey[], timings: RotationTimings, now: number): number {
  const dates = active.map((k) => (k.since ?? 0) + timings.interval * 1000);
  return dates.length ? Math.max(...dates) : now;
}
