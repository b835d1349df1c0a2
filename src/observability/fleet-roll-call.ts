import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Cluster, Redis } from 'ioredis';

import { createAudit } from './audit-log.ts';
import type { Audit } from './audit-log.ts';
import type { Fingerprint } from './config-fingerprint.ts';
import type { Logger } from './logger.ts';

export interface RollCallOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  readonly fingerprint: () => Fingerprint;
  readonly logger: Logger;
  /** Where a mismatch (and its end) is audited (AUDIT_LOG); default the log itself. */
  readonly audit?: Audit | undefined;
  /** Seconds between answers (FLEET_ROLL_CALL_INTERVAL); an instance silent for three of them counts as gone. */
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
  /** Stops answering and removes this instance's entry, after an answer under way has landed. */
  stop(): Promise<void>;
}

interface Answer {
  readonly fingerprint: Fingerprint;
  readonly seen: number;
  /** The answering instance's interval in seconds; absent in entries of older versions. */
  readonly interval?: number;
}

/** An instance silent for this many of its intervals counts as gone. */
const SILENT_INTERVALS = 3;

/**
 * Every instance on one Redis writes its configuration fingerprint into one hash, at start and
 * every `interval` seconds, and compares it with the others': an instance whose shared settings
 * or keys differ is reported at once (`fleet.mismatch`, a warning) rather than found later as
 * failed logins. Differences are reported, not refused: during a rolling deployment or a key
 * reload, two fingerprints may differ for a moment.
 *
 * Leaving: `stop()` (on SIGTERM/SIGINT) removes this instance's entry at once, so a successor
 * compares itself with no ghost. An instance that crashed or stopped answering counts as gone
 * once three of its intervals passed since its last answer, and the next answer of any other
 * instance removes its entry: within four intervals (40 s by default). When no instance is left,
 * the whole hash expires three intervals after the last answer.
 */
export async function startRollCall({ redis, prefix, fingerprint, logger, audit = createAudit(logger), interval = 10 }: RollCallOptions): Promise<RollCall> {
  const key = `${prefix}fleet`;
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let status: FleetStatus = { instance, instances: 1, mismatched: [] };
  let reported = '';
  let stopped = false;

  const answer = async (): Promise<void> => {
    const mine = fingerprint();
    const now = Date.now();
    await redis.hset(key, instance, JSON.stringify({ fingerprint: mine, seen: now, interval } satisfies Answer));
    // The hash outlives its longest-lived answer: NX sets a first expiry, GT only lengthens it.
    const ttl = interval * SILENT_INTERVALS * 1000;
    await Promise.all([redis.pexpire(key, ttl, 'NX'), redis.pexpire(key, ttl, 'GT')]);
    const all = await redis.hgetall(key);
    const gone: string[] = [];
    const mismatched: { instance: string; differs: ('config' | 'keys')[] }[] = [];
    let instances = 0;
    for (const [other, raw] of Object.entries(all)) {
      const them = parseAnswer(raw);
      if (!them || now - them.seen > (them.interval ?? interval) * SILENT_INTERVALS * 1000) {
        gone.push(other);
        continue;
      }
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
      // Flows that move between instances with different shared settings or keys fail.
      audit({ event: 'fleet.mismatch', actor: 'system', target: 'fleet', outcome: 'mismatch', instance, fingerprint: mine, mismatched });
    } else {
      audit({ event: 'fleet.consistent', actor: 'system', target: 'fleet', outcome: 'consistent', instance, instances });
    }
  };
  const safely = async (): Promise<void> => {
    if (stopped) return;
    try {
      await answer();
    } catch (err) {
      logger.warn({ event: 'fleet.roll_call_failed', err: { message: (err as Error).message } }, 'could not compare fingerprints with the other instances');
    }
  };

  let underWay = safely();
  await underWay;
  const timer = setInterval(() => {
    underWay = safely();
  }, interval * 1000);
  timer.unref();
  return {
    status: () => status,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await underWay;
      try {
        await redis.hdel(key, instance);
        logger.info({ event: 'fleet.left', instance }, 'left the fleet roll call');
      } catch (err) {
        logger.warn(
          { event: 'fleet.leave_failed', instance, err: { message: (err as Error).message } },
          `could not leave the fleet roll call; the other instances count this one as gone after ${interval * SILENT_INTERVALS} s`,
        );
      }
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
