import type { Cluster, Redis } from 'ioredis';

/** The pub/sub channel on which every change of a stored client is announced. */
export const clientChangesChannel = (prefix: string): string => `${prefix}{clients}:changed`;

/**
 * What this process knows of changes to stored clients: a generation that moves on with every
 * change announced (by any instance or the CLI) and whenever the subscription was interrupted,
 * so a client remembered at an older generation is read again.
 */
export interface ClientChanges {
  /** Moves on with every change; a client read at another generation may be stale. */
  generation(): number;
  /** Whether changes reach this process now (subscribed): without that nothing may be remembered. */
  live(): boolean;
  /** Announces a change made here: this process sees it at once, the others by pub/sub. */
  announce(clientId: string): Promise<void>;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Announces a change of a stored client to every instance; a lost announcement is bounded by CLIENT_CACHE_TTL. */
export async function announceClientChange(redis: Redis | Cluster, prefix: string, clientId: string): Promise<void> {
  await redis.publish(clientChangesChannel(prefix), clientId).catch(() => undefined);
}

/** Listens for announced changes of stored clients on a connection of its own. */
export function createClientChanges(redis: Redis | Cluster, prefix: string): ClientChanges {
  const channel = clientChangesChannel(prefix);
  const subscriber = redis.duplicate();
  let generation = 0;
  let live = false;
  const interrupted = (): void => {
    live = false;
    generation++;
  };
  subscriber.on('error', () => undefined); // seen as 'close': nothing is remembered until subscribed again
  subscriber.on('close', interrupted);
  subscriber.on('message', () => {
    generation++;
  });
  // Subscribed anew on every connection; what changed while unsubscribed is unknown, so the generation moves on.
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        generation++;
        live = true;
      },
      () => undefined,
    );
  });
  void subscriber.connect().catch(() => undefined);
  return {
    generation: () => generation,
    live: () => live,
    async announce(clientId) {
      generation++;
      await announceClientChange(redis, prefix, clientId);
    },
    async close() {
      interrupted();
      subscriber.disconnect();
    },
  };
}
