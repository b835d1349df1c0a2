import type { Cluster, Redis } from 'ioredis';

import type { Config } from '../config/load-config.ts';
import { fileKeyStore } from './file-key-store.ts';
import type { KeyStore } from './key-store.ts';
import { redisKeyStore } from './redis-key-store.ts';

/** The key store KEYS_STORE names: CERTS_DIR, or Redis (which needs the connection). */
export function openKeyStore(config: Config, redis?: Redis | Cluster): KeyStore {
  if (config.keysStore === 'files') return fileKeyStore({ dir: config.certsDir, passphrase: config.certsPassphrase });
  if (!redis || config.keysEncryptionKey === undefined) throw new Error('KEYS_STORE is redis: Redis and KEYS_ENCRYPTION_KEY are needed');
  return redisKeyStore({ redis, prefix: config.redisKeyPrefix, encryptionKey: Buffer.from(config.keysEncryptionKey, 'base64') });
}
