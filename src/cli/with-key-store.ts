import type { Config } from '../config/load-config.ts';
import type { KeyStore } from '../keys/key-store.ts';
import { openKeyStore } from '../keys/open-key-store.ts';
import { withRedis } from './with-redis.ts';

/** Runs `use` with the key store KEYS_STORE names, connecting to Redis (and closing it) when the keys live there. */
export async function withKeyStore<T>(config: Config, use: (store: KeyStore) => Promise<T>): Promise<T> {
  if (config.keysStore === 'files') return use(openKeyStore(config));
  return withRedis(config, 'signing keys (KEYS_STORE=redis)', (redis) => use(openKeyStore(config, redis)));
}
