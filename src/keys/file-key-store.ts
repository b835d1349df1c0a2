import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateKeyPem } from './generate-key.ts';
import { listKeyFiles } from '../config/key-files.ts';
import { readManifest, writeManifest } from './key-manifest.ts';
import type { KeyManifest } from './key-manifest.ts';
import type { KeyChange, KeyStore, StoredKey } from './key-store.ts';
import { RotationBusyError } from './key-store.ts';
import { loadKeys } from './load-keys.ts';
import { watchKeys } from './watch-keys.ts';

const LOCK_FILE = '.rotation.lock';
/** A lock older than this belongs to a rotation that died; it is taken over. */
const STALE_LOCK_MS = 60_000;

/**
 * The keys of CERTS_DIR: PEM and PKCS#12 files with keys.json, a lock file for rotation, and
 * file-system events plus a periodic look for changes. Every instance needs the same directory.
 */
export function fileKeyStore({ dir, passphrase }: { dir: string; passphrase?: string | undefined }): KeyStore {
  const manifestOf = (): KeyManifest => {
    const problems: string[] = [];
    const manifest = readManifest(dir, problems);
    if (problems.length) throw new Error(problems.join('; '));
    return manifest;
  };
  return {
    label: 'CERTS_DIR',
    where: dir,
    load: (requiredAlgs = []) => loadKeys({ dir, passphrase, requiredAlgs }),
    readManifest: async () => manifestOf(),
    hasKeys: async () => listKeyFiles(dir).some((f) => f.kind !== 'certificate'),
    async rotating(step) {
      const release = lock(dir);
      try {
        return await step(async (change) => applyChange(dir, change, passphrase));
      } finally {
        release();
      }
    },
    async add(keys) {
      mkdirSync(dir, { recursive: true });
      const manifest = manifestOf();
      const taken = new Set(listKeyFiles(dir).map((f) => f.stem));
      const clash = keys.find((k) => taken.has(k.stem) || manifest[k.stem]);
      if (clash) throw new Error(`CERTS_DIR ${dir} already holds a key named ${clash.stem}`);
      const paths = keys.map((key) => writeKey(dir, key));
      writeManifest(dir, { ...manifest, ...Object.fromEntries(keys.filter((k) => Object.keys(k.entry).length).map((k) => [k.stem, k.entry])) });
      return paths;
    },
    watch(interval, onChange) {
      const stop = watchKeys({ dir, interval, onChange });
      return async () => stop();
    },
  };
}

function writeKey(dir: string, key: StoredKey): string {
  const path = join(dir, `${key.stem}.pem`);
  writeFileSync(path, key.pem, { mode: 0o600, flag: 'wx' });
  if (key.certificates.length) writeFileSync(join(dir, `${key.stem}.crt`), key.certificates.join(''), { flag: 'wx' });
  return path;
}

/**
 * The files change in an order in which a reader either sees the previous keys or refuses what
 * it reads (and keeps its keys): retired files go first, a new key is written under a temporary
 * name, keys.json is replaced, then the new key takes its name.
 */
function applyChange(dir: string, change: KeyChange, passphrase: string | undefined): void {
  for (const stem of change.drop) {
    for (const file of listKeyFiles(dir).filter((f) => f.stem === stem)) rmSync(file.path);
  }
  const written = change.generate.map((key) => {
    const temporary = join(dir, `.${key.stem}.pem.tmp`);
    writeFileSync(temporary, generateKeyPem(key.alg, passphrase), { mode: 0o600, flag: 'wx' });
    return { temporary, path: join(dir, `${key.stem}.pem`) };
  });
  writeManifest(dir, change.manifest);
  for (const file of written) renameSync(file.temporary, file.path);
}

function lock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue;
      }
      if (age < STALE_LOCK_MS) break;
      rmSync(path, { force: true });
    }
  }
  throw new RotationBusyError(`another key rotation is running in ${dir} (${LOCK_FILE}); try again in a minute`);
}
