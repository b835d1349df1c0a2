import type { Provider } from 'oidc-provider';

import { createBoundedCache } from '../support/bounded-cache.ts';
import type { ClientChanges } from './client-changes.ts';

/** Clients remembered per engine: far more than a fleet has, so only an attack on unknown ids could reach it (and those are not remembered). */
const CAPACITY = 10_000;

type Find = (id: unknown) => Promise<unknown>;

/**
 * Remembers the clients the engine loads (a stored client is otherwise read from Redis, and its
 * record hashed by the engine, on every request that names it) for up to `ttl` seconds, and only
 * while `changes` is live and at the generation it was read at: a change announced by any
 * instance or the CLI makes every instance read its clients again. Unknown ids are not remembered.
 */
export function cacheClients(provider: Provider, changes: ClientChanges, ttl: number): void {
  if (ttl <= 0) return;
  const model = provider.Client as unknown as { find: Find };
  const find = model.find.bind(model);
  const held = createBoundedCache<string, { client: unknown; generation: number }>(CAPACITY);
  model.find = async (id) => {
    if (typeof id !== 'string' || !changes.live()) return find(id);
    const now = Date.now();
    const generation = changes.generation();
    const hit = held.get(id, now);
    if (hit && hit.generation === generation) return hit.client;
    const client = await find(id);
    if (client) held.set(id, { client, generation }, now + ttl * 1000);
    return client;
  };
}
