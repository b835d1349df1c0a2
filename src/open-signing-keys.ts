import type { Cluster, Redis } from 'ioredis';

import type { Config } from './config/load-config.ts';
import { ensureDevelopmentKeys } from './keys/generate-key.ts';
import type { KeyStore } from './keys/key-store.ts';
import { keySummary } from './keys/key-summary.ts';
import type { KeySet } from './keys/load-keys.ts';
import { openKeyStore } from './keys/open-key-store.ts';
import type { Logger } from './observability/logger.ts';

/** The signing keys at start: where they are kept, how to read them again, and the set read now. */
export interface SigningKeys {
  readonly keyStore: KeyStore;
  readonly readKeys: () => Promise<KeySet>;
  readonly initialKeys: KeySet;
}

/**
 * Opens the key store of `KEYS_STORE` and reads the keys of every resource server's algorithm;
 * outside production, with keys in `CERTS_DIR`, it first generates development keys where none exist.
 */
export async function openSigningKeys(config: Config, redis: Redis | Cluster | undefined, logger: Logger): Promise<SigningKeys> {
  if (!config.production && config.keysStore === 'files') {
    for (const path of ensureDevelopmentKeys(config.certsDir)) {
      logger.warn({ event: 'keys.generated', path }, `generated a development signing key at ${path}; use keys of your own in production`);
    }
  }
  const keyStore = openKeyStore(config, redis);
  const readKeys = () => keyStore.load(config.resourceServers.map((rs) => rs.signingAlg));
  const initialKeys = await readKeys();
  logger.info({ event: 'keys.loaded', keys: keySummary(initialKeys) }, 'signing keys loaded');
  return { keyStore, readKeys, initialKeys };
}
