import { createHash } from 'node:crypto';

import type { Config } from '../config/load-config.ts';
import type { KeySet } from '../keys/load-keys.ts';

/** Settings that may differ between instances of one fleet: where each listens, logs and finds its files. */
const PER_INSTANCE: readonly (keyof Config)[] = [
  'host',
  'port',
  'logLevel',
  'shutdownTimeout',
  'fleetRollCallInterval',
  'configFile',
  'certsDir',
  'certsPassphrase',
  'keysEncryptionKeyFile',
  'trustProxy',
  // Each instance may reach the same Redis by another name; what must match is the kind and the key prefix.
  'redis',
  'redisUrl',
  'redisClusterNodes',
  'redisSentinels',
  'redisPassword',
  'redisTls',
  'redisCommandTimeout',
];

/** The two fingerprints: `config` of the shared settings, `keys` of the published keys and their states. */
export type Fingerprint = { readonly config: string; readonly keys: string };

/**
 * Fingerprints of what every instance behind one load balancer must share: `config` covers the
 * issuer, cookie keys, clients, resource servers, lifetimes and the Redis kind and prefix;
 * `keys` covers the published keys and their states. Equal fingerprints on two instances mean
 * they issue interchangeable tokens and can continue each other's flows. Secrets are hashed in,
 * never shown. The settings are hashed once; each key set once, when first asked about.
 */
export function createConfigFingerprint(config: Config): (keys: KeySet) => Fingerprint {
  const shared: Record<string, unknown> = { redisKind: config.redis?.kind ?? 'memory' };
  for (const [key, value] of Object.entries(config)) {
    if (!(PER_INSTANCE as readonly string[]).includes(key)) shared[key] = value;
  }
  const configDigest = digest(shared);
  const byKeys = new WeakMap<KeySet, Fingerprint>();
  return (keys) => {
    let fingerprint = byKeys.get(keys);
    if (!fingerprint) {
      fingerprint = { config: configDigest, keys: digest(keys.keys.map((k) => ({ jwk: k.publicJwk, state: k.state }))) };
      byKeys.set(keys, fingerprint);
    }
    return fingerprint;
  };
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url').slice(0, 16);
}

/** JSON with object keys sorted, so that equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
