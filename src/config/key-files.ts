import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What a file in CERTS_DIR holds, judged by its name. */
export type KeyFileKind = 'pem-key' | 'pkcs12' | 'certificate';

export interface KeyFile {
  readonly kind: KeyFileKind;
  /** Name without the key/certificate extension; a key and its certificate share it. */
  readonly stem: string;
  readonly path: string;
  readonly name: string;
}

/** Keys written by the development generator carry this prefix; production refuses them. */
export const DEV_KEY_PREFIX = 'dev-';

const SUFFIXES: readonly [string, KeyFileKind][] = [
  ['.cert.pem', 'certificate'],
  ['.crt', 'certificate'],
  ['.cer', 'certificate'],
  ['.key.pem', 'pem-key'],
  ['.key', 'pem-key'],
  ['.pem', 'pem-key'],
  ['.pfx', 'pkcs12'],
  ['.p12', 'pkcs12'],
];

/** Lists the key, PKCS#12 and certificate files of a directory, sorted by name; `[]` when it does not exist. */
export function listKeyFiles(dir: string): KeyFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: KeyFile[] = [];
  for (const name of names) {
    const match = SUFFIXES.find(([suffix]) => name.toLowerCase().endsWith(suffix));
    if (!match) continue;
    files.push({ kind: match[1], stem: name.slice(0, -match[0].length), path: join(dir, name), name });
  }
  return files;
}
