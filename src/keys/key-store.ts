import type { GeneratableAlg } from './generate-key.ts';
import type { KeyManifest, ManifestEntry } from './key-manifest.ts';
import type { KeySet } from './key-set.ts';

/** A key to add to a store: its name, its private key (unencrypted PKCS#8 PEM), certificates (PEM, leaf first) and manifest entry. */
export interface StoredKey {
  readonly stem: string;
  readonly pem: string;
  readonly certificates: readonly string[];
  readonly entry: ManifestEntry;
}

/** One rotation step as written: keys removed, keys generated, and the manifest entry of every key that stays. */
export interface KeyChange {
  readonly drop: readonly string[];
  readonly generate: readonly { readonly stem: string; readonly alg: GeneratableAlg }[];
  readonly manifest: KeyManifest;
}

/**
 * Where the signing keys live: CERTS_DIR (src/keys/file-key-store.ts) or Redis
 * (src/keys/redis-key-store.ts). Both pass test/keys/key-store-contract.test.ts.
 * - `load` sees a consistent key set: the keys before a change or after it, never a mix.
 * - `rotating` runs one step at a time across every instance and the CLI; a second caller gets
 *   RotationBusyError. `apply` writes the change atomically for readers.
 * - `add` adds keys, all or none, never replacing a key of the same name.
 * - `watch` calls `onChange` after any change, within `interval` seconds at the latest.
 */
export interface KeyStore {
  /** Prefix of problem messages: the setting that names the store. */
  readonly label: string;
  /** Where the keys are, for messages (a directory, a Redis key). */
  readonly where: string;
  load(requiredAlgs?: readonly string[]): Promise<KeySet>;
  readManifest(): Promise<KeyManifest>;
  /** Whether the store holds any private key (a rotation needs one to start from). */
  hasKeys(): Promise<boolean>;
  rotating<T>(step: (apply: (change: KeyChange) => Promise<void>) => Promise<T>): Promise<T>;
  /** Adds `keys`; returns where each went, for messages. */
  add(keys: readonly StoredKey[]): Promise<string[]>;
  /** Watches for changes; returns a function that stops watching. */
  watch(interval: number, onChange: () => void): () => Promise<void>;
}

/** Another rotation holds the lock. */
export class RotationBusyError extends Error {}
