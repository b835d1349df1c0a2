import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Cluster, Redis } from 'ioredis';

import type { Fingerprint } from './config-fingerprint.ts';
import type { Logger } from './logger.ts';

export interface RollCallOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  readonly fingerprint: () => Fingerprint;
  readonly logger: Logger;
  /** Seconds between answers; an instance silent for three of them counts as gone. */
  readonly interval?: number;
}

/** What /readyz shows of the fleet. */
export interface FleetStatus {
  readonly instance: string;
  /** Instances that answered lately, this one included. */
  readonly instances: number;
  /** Those whose fingerprint differs from this one's, and in which part. */
  readonly mismatched: readonly { instance: string; differs: ('config' | 'keys')[] }[];
}

export interface RollCall {
  status(): FleetStatus;
  stop(): Promise<void>;
}

interface Answer {
  readonly fingerprint: Fingerprint;
  readonly seen: number;
}

/**
 * Every instance on one Redis writes its configuration fingerprint into one hash, at start and
 * every `interval` seconds, and compares it with the others': an instance whose shared settings
 * or keys differ is reported at once (`fleet.mismatch`, a warning) rather than found later as
 * failed logins. Differences are reported, not refused: during a rolling deployment or a key
 * reload, two fingerprints may differ for a moment.
 */
export async function startRollCall({ redis, prefix, fingerprint, logger, interval = 10 }: RollCallOptions): Promise<RollCall> {
  const key = `${prefix}fleet`;
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let status: FleetStatus = { instance, instances: 1, mismatched: [] };
  let reported = '';

  const answer = async (): Promise<void> => {
    const mine = fingerprint();
    const now = Date.now();
    await redis.hset(key, instance, JSON.stringify({ fingerprint: mine, seen: now } satisfies Answer));
    await redis.pexpire(key, interval * 3000);
    const all = await redis.hgetall(key);
    const gone: string[] = [];
    const mismatched: { instance: string; differs: ('config' | 'keys')[] }[] = [];
    let instances = 0;
    for (const [other, raw] of Object.entries(all)) {
      const them = parseAnswer(raw);
      if (!them || now - them.seen > interval * 3000) { gone.push(other); continue; }
      instances++;
      const differs = (['config', 'keys'] as const).filter((part) => them.fingerprint[part] !== mine[part]);
      if (differs.length) mismatched.push({ instance: other, differs });
    }
    if (gone.length) await redis.hdel(key, ...gone);
    status = { instance, instances, mismatched };
    const summary = JSON.stringify(mismatched);
    if (summary === reported) return;
    reported = summary;
    if (mismatched.length) {
      logger.warn({ event: 'fleet.mismatch', instance, fingerprint: mine, mismatched },
        `${mismatched.length} other instance(s) on this Redis run with different shared settings or keys; flows that move between them fail`);
    } else {
      logger.info({ event: 'fleet.consistent', instance, instances }, `all ${instances} instance(s) on this Redis share one configuration fingerprint`);
    }
  };
  const safely = async (): Promise<void> => {
    try {
      await answer();
    } catch (err) {
      logger.warn({ event: 'fleet.roll_call_failed', err: { message: (err as Error).message } }, 'could not compare fingerprints with the other instances');
    }
  };

  await safely();
  const timer = setInterval(() => void safely(), interval * 1000);
  timer.unref();
  return {
    status: () => status,
    async stop() {
      clearInterval(timer);
      await redis.hdel(key, instance).catch(() => undefined);
    },
  };
}

function parseAnswer(raw: string): Answer | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Answer>;
    if (typeof value.seen !== 'number' || typeof value.fingerprint?.config !== 'string' || typeof value.fingerprint.keys !== 'string') return undefined;
    return value as Answer;
  } catch {
    return undefined;
  }
}
