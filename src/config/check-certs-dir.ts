import { readdirSync } from 'node:fs';

/** CERTS_DIR must be a directory Tessera can read, when it exists (development creates it). */
export function checkCertsDir(dir: string): string[] {
  try {
    readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return [`CERTS_DIR: ${dir} is not a directory`];
    if (code !== 'ENOENT') return [`CERTS_DIR: cannot read ${dir} (${code ?? 'error'})`];
  }
  return [];
}
