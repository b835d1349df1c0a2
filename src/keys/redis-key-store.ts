import { createPrivateKey, randomBytes } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';

import { ConfigError } from '../config/config-error.ts';
import { generateKeyPem } from './generate-key.ts';
import { openSealedKey, sealKey } from './key-encryption.ts';
import type { KeyManifest } from './key-manifest.ts';
import { keySetProblems, signingKeysOf, toKeySet } from './key-set.ts';
import type { KeyStore, StoredKey } from './key-store.ts';
import { RotationBusyError } from './key-store.ts';
import { entryOf, keySetNames, parseKeyRecord } from './redis-key-records.ts';
import type { KeyRecord } from './redis-key-records.ts';
import { readCertificates } from './read-certificates.ts';
import { applyKeysScript, releaseLockScript } from './redis-key-scripts.ts';
import { watchRedisKeys } from './watch-redis-keys.ts';

/** How long the rotation lock holds when its owner dies mid-step. */
const LOCK_MS = 60_000;

export interface RedisKeyStoreOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  /** The key-encryption key: 32 bytes. */
  readonly encryptionKey: Buffer;
}

/**
 * The signing keys in Redis, for fleets without a shared directory: one hash of records (private
 * keys AES-256-GCM encrypted), a version counter bumped by every change, a lock for rotation
 * (SET NX PX with a token, released by compare-and-delete) and a pub/sub channel that announces
 * each new version. All of one key set shares a hash tag, so it works on Redis Cluster.
 */
export function redisKeyStore({ redis, prefix, encryptionKey }: RedisKeyStoreOptions): KeyStore {
  const names = keySetNames(prefix);
  let loadedVersion: string | null | undefined;

  async function records(): Promise<{ records: Record<string, string>; version: string | null }> {
    const [[recordsError, found], [versionError, version]] = (await redis.multi().hgetall(names.records).get(names.version).exec())! as [
      [Error | null, Record<string, string>],
      [Error | null, string | null],
    ];
    if (recordsError ?? versionError) throw recordsError ?? versionError;
    return { records: found, version };
  }

  async function write(token: string, mode: 'add' | 'rotate', drop: readonly string[], set: Record<string, KeyRecord>): Promise<void> {
    const encoded = Object.fromEntries(Object.entries(set).map(([name, record]) => [name, JSON.stringify(record)]));
    let version: unknown;
    try {
      version = await applyKeysScript(
        redis,
        [names.records, names.version, names.lock],
        [token, mode, JSON.stringify(drop.length ? drop : []), Object.keys(encoded).length ? JSON.stringify(encoded) : '{}'],
      );
    } catch (err) {
      const message = (err as Error).message;
      // Redis may put its own code before a script's error reply.
      if (message.includes('LOCKLOST')) throw new RotationBusyError('the rotation lock expired before the step was written; nothing was changed');
      const taken = /EXISTS (\S+)/.exec(message);
      if (taken) throw new Error(`Redis already holds a key named ${taken[1]}`);
      throw err;
    }
    await redis.publish(names.channel, String(version));
  }

  const seal = (stem: string, pem: string): KeyRecord['key'] => sealKey(encryptionKey, stem, pem);

  return {
    label: 'KEYS_STORE',
    where: `Redis (${names.records})`,
    async load(requiredAlgs = []) {
      const { records: found, version } = await records();
      const problems: string[] = [];
      const manifest: KeyManifest = {};
      const candidates = Object.keys(found)
        .sort()
        .flatMap((stem) => {
          const record = parseKeyRecord(found[stem]!);
          if (typeof record === 'string') {
            problems.push(`KEYS_STORE: ${stem} ${record}`);
            return [];
          }
          manifest[stem] = entryOf(record);
          return [
            {
              source: stem,
              stem,
              open: () => ({
                key: createPrivateKey(openSealedKey(encryptionKey, stem, record.key)),
                certificates: record.certificates.flatMap((pem) => readCertificates(Buffer.from(pem))),
              }),
            },
          ];
        });
      const keys = await signingKeysOf(candidates, manifest, 'KEYS_STORE', problems);
      problems.push(...keySetProblems(keys, 'KEYS_STORE', 'Redis', requiredAlgs));
      if (problems.length) throw new ConfigError(problems);
      loadedVersion = version;
      return toKeySet(keys);
    },
    async readManifest() {
      const { records: found } = await records();
      const manifest: KeyManifest = {};
      for (const [stem, text] of Object.entries(found)) {
        const record = parseKeyRecord(text);
        if (typeof record !== 'string') manifest[stem] = entryOf(record);
      }
      return manifest;
    },
    hasKeys: async () => (await redis.hlen(names.records)) > 0,
    async rotating(step) {
      const token = randomBytes(16).toString('base64url');
      if ((await redis.set(names.lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
        throw new RotationBusyError(`another key rotation is running (${names.lock}); try again in a minute`);
      }
      try {
        return await step(async (change) => {
          const { records: found } = await records();
          const set: Record<string, KeyRecord> = {};
          for (const [stem, entry] of Object.entries(change.manifest)) {
            const generated = change.generate.find((k) => k.stem === stem);
            const existing = found[stem] === undefined ? undefined : parseKeyRecord(found[stem]);
            if (generated) set[stem] = { key: seal(stem, generateKeyPem(generated.alg)), certificates: [], ...entry };
            else if (existing && typeof existing !== 'string') set[stem] = { key: existing.key, certificates: existing.certificates, ...entry };
          }
          await write(token, 'rotate', change.drop, set);
        });
      } finally {
        await releaseLockScript(redis, [names.lock], [token]);
      }
    },
    async add(keys: readonly StoredKey[]) {
      const set = Object.fromEntries(keys.map((k) => [k.stem, { key: seal(k.stem, k.pem), certificates: [...k.certificates], ...k.entry }]));
      await write('', 'add', [], set);
      return keys.map((k) => `${names.records} ${k.stem}`);
    },
    watch: (interval, onChange) => watchRedisKeys(redis, names, () => loadedVersion, interval, onChange),
  };
}
