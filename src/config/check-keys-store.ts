import { readFileSync } from 'node:fs';

import type { Config } from './resolved-config.ts';

/** Bytes of the key-encryption key (AES-256). */
const KEY_BYTES = 32;

/** What KEYS_STORE=redis needs, and the key-encryption key it found (base64, read from the file when one is named). */
export interface KeysStoreCheck {
  readonly problems: readonly string[];
  readonly encryptionKey?: string | undefined;
}

/**
 * With KEYS_STORE=redis: Redis must be configured and exactly one of KEYS_ENCRYPTION_KEY and
 * KEYS_ENCRYPTION_KEY_FILE must give 32 bytes in base64. With `files` nothing is read.
 */
export function checkKeysStore(config: Config, invalid: ReadonlySet<string>): KeysStoreCheck {
  if (invalid.has('keysStore') || config.keysStore !== 'redis') return { problems: [] };
  const problems: string[] = [];
  if (!invalid.has('redisUrl') && !invalid.has('redisClusterNodes') && !invalid.has('redisSentinels') && !config.redis) {
    problems.push('KEYS_STORE: redis needs REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS');
  }
  const { keysEncryptionKey: inline, keysEncryptionKeyFile: file } = config;
  if (inline !== undefined && file !== undefined) {
    return { problems: [...problems, 'KEYS_ENCRYPTION_KEY: set it or KEYS_ENCRYPTION_KEY_FILE, not both'] };
  }
  if (inline === undefined && file === undefined) {
    return {
      problems: [
        ...problems,
        'KEYS_ENCRYPTION_KEY: is required with KEYS_STORE=redis (32 random bytes in base64: openssl rand -base64 32), or KEYS_ENCRYPTION_KEY_FILE',
      ],
    };
  }
  let value = inline;
  const name = inline !== undefined ? 'KEYS_ENCRYPTION_KEY' : 'KEYS_ENCRYPTION_KEY_FILE';
  if (value === undefined) {
    try {
      value = readFileSync(file!, 'utf8');
    } catch (err) {
      return { problems: [...problems, `KEYS_ENCRYPTION_KEY_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`] };
    }
  }
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || Buffer.from(text, 'base64').length !== KEY_BYTES) {
    return { problems: [...problems, `${name}: must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`] };
  }
  return { problems, encryptionKey: text };
}
