import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { KeyStore } from './key-store.ts';
import type { RotationPlan } from './rotation-plan.ts';
import type { KeyedRebuild } from './rebuild-on-key-change.ts';
import { RotationBusyError, rotateKeys } from './rotate-keys.ts';

/**
 * Applies changed keys without a restart: on file-system events in CERTS_DIR (or notifications from Redis), every
 * KEYS_RELOAD_INTERVAL, and on SIGHUP; with KEY_ROTATION_INTERVAL, also rotates them on schedule.
 * `onRotated` hears of each scheduled step that changed the keys (the audit). Returns what stops it all.
 */
export function keepKeysCurrent(
  config: Config,
  store: KeyStore,
  logger: Logger,
  signing: KeyedRebuild<unknown>,
  onRotated?: (plan: RotationPlan) => void,
): () => Promise<void> {
  const stopWatching = store.watch(config.keysReloadInterval, () => void signing.reload(`${store.label} changed`));
  const onHangup = (): void => void signing.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  let schedule: NodeJS.Timeout | undefined;
  if (config.keyRotationInterval > 0) {
    const check = async (): Promise<void> => {
      try {
        const plan = await rotateKeys({ config, store, scheduled: true });
        if (plan.generate.length || plan.promoted.length || plan.drop.length) {
          logger.info(
            {
              event: 'keys.rotated',
              generated: plan.generate.map((k) => k.stem),
              promoted: plan.promoted.map((p) => p.key.stem),
              dropped: plan.drop.map((k) => k.stem),
            },
            'signing keys rotated on schedule',
          );
          onRotated?.(plan);
          await signing.reload('scheduled rotation');
        }
      } catch (err) {
        if (!(err instanceof RotationBusyError)) {
          logger.error({ event: 'keys.rotation_failed', err: { message: (err as Error).message } }, 'scheduled key rotation failed; it is tried again');
        }
      }
    };
    schedule = setInterval(() => void check(), Math.min(60, Math.max(1, Math.floor(config.keyRotationInterval / 10))) * 1000);
    schedule.unref();
    void check();
  }
  return async () => {
    await stopWatching();
    process.off('SIGHUP', onHangup);
    clearInterval(schedule);
  };
}
