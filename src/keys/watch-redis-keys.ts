import type { Cluster, Redis } from 'ioredis';

import type { keySetNames } from './redis-key-records.ts';

/**
 * Calls `onChange` when the key set's version in Redis is no longer the one loaded: at once on
 * the pub/sub announcement of a change, and every `interval` seconds in case one was missed.
 * Returns what stops watching.
 */
export function watchRedisKeys(
  redis: Redis | Cluster,
  names: ReturnType<typeof keySetNames>,
  loadedVersion: () => string | null | undefined,
  interval: number,
  onChange: () => void,
): () => Promise<void> {
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined); // a lost subscription is made up for by the interval check
  const check = async (): Promise<void> => {
    try {
      if ((await redis.get(names.version)) !== loadedVersion()) onChange();
    } catch {
      // Redis unreachable: the keys in use are kept; the next check tries again.
    }
  };
  subscriber.on('message', () => void check());
  // Subscribed anew on every connection; ioredis would only restore a subscription it once made.
  subscriber.on('ready', () => void subscriber.subscribe(names.channel).catch(() => undefined));
  void subscriber.connect().catch(() => undefined);
  const poll = interval > 0 ? setInterval(() => void check(), interval * 1000) : undefined;
  poll?.unref();
  return async () => {
    clearInterval(poll);
    subscriber.disconnect();
  };
}
