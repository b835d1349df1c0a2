import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { relativeImports, sourceFiles } from '../support/source-imports.ts';

/** Modules of src/accounts that any other module may import: contracts, claims, throttling, input checks. */
export const PUBLIC_MODULES = [
  'settings.ts',
  'user-store.ts',
  'user-store-error.ts',
  'find-account.ts',
  'account-claims.ts',
  'login-throttle.ts',
  'memory-login-throttle.ts',
  'throttle-policy.ts',
  'redis-client.ts',
  'account-input.ts',
];
/** The factories of the Redis and the memory store, and the only modules that may build one (the composition root, the CLI). */
export const FACTORIES = ['redis-user-store.ts', 'memory-user-store.ts'];
export const FACTORY_USERS = ['src/main.ts', 'src/open-storage.ts', 'src/cli/users-command.ts'];
/** Strings that only code reading account records or password hashes needs. */
export const PRIVATE_MARKERS = ['{accounts}', 'password_hash', 'accountKeys'];

const SCANNED_DIRS = ['src', 'adapters', 'bin'];

/**
 * Every module under src/, adapters/ and bin/ outside src/accounts that imports a private module of
 * src/accounts (or the store factory without being allowed to), or that names the account keys or
 * the password hash field. Returns the files scanned and one line per violation.
 */
export function findBoundaryViolations(root: string): { scanned: string[]; violations: string[] } {
  const scanned = SCANNED_DIRS.flatMap((dir) => sourceFiles(root, join(root, dir))).filter((file) => !file.startsWith('src/accounts/'));
  const violations: string[] = [];
  for (const file of scanned) {
    for (const target of relativeImports(root, file)) {
      if (target !== 'src/accounts' && !target.startsWith('src/accounts/')) continue;
      const module = target.slice('src/accounts/'.length);
      if (PUBLIC_MODULES.includes(module) || (FACTORIES.includes(module) && FACTORY_USERS.includes(file))) continue;
      violations.push(`${file} imports ${target}`);
    }
    const text = readFileSync(join(root, file), 'utf8');
    for (const marker of PRIVATE_MARKERS) if (text.includes(marker)) violations.push(`${file} contains ${marker}`);
  }
  return { scanned, violations };
}
