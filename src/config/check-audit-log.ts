import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * AUDIT_LOG must be `stdout`, `stderr`, or a file Tessera can append to: an existing writable
 * file, or a new one in an existing writable directory.
 */
export function checkAuditLog(setting: string): string[] {
  if (setting === 'stdout' || setting === 'stderr') return [];
  const path = resolve(setting);
  const problem = (what: string): string[] => [`AUDIT_LOG: ${what} (use stdout, stderr or the path of a file to append to)`];
  try {
    if (statSync(path).isDirectory()) return problem(`${setting} is a directory`);
    accessSync(path, constants.W_OK);
    return [];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return problem(`${dirname(setting)} is not a directory`);
    if (code !== 'ENOENT') return problem(`cannot write to ${setting} (${code ?? 'error'})`);
  }
  try {
    if (!statSync(dirname(path)).isDirectory()) return problem(`${dirname(setting)} is not a directory`);
    accessSync(dirname(path), constants.W_OK);
    return [];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return problem(code === 'ENOENT' ? `the directory of ${setting} does not exist` : `cannot create ${setting} (${code ?? 'error'})`);
  }
}
