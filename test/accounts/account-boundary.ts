import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Modules of src/accounts that any other module may import: contracts, claims, throttling, input checks. */
export const PUBLIC_MODULES = ['settings.ts', 'user-store.ts', 'user-store-error.ts', 'find-account.ts', 'account-claims.ts', 'login-throttle.ts',
  'memory-login-throttle.ts', 'throttle-policy.ts', 'redis-client.ts', 'account-input.ts'];
/** The factories of the Redis and the memory store, and the only modules that may build one. */
export const FACTORIES = ['redis-user-store.ts', 'memory-user-store.ts'];
export const FACTORY_USERS = ['src/main.ts', 'src/cli/users-command.ts'];
/** Strings that only code reading account records or password hashes needs. */
export const PRIVATE_MARKERS = ['{accounts}', 'password_hash', 'accountKeys'];

const SCANNED_DIRS = ['src', 'adapters', 'bin'];
const IMPORTS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/**
 * Every module under src/, adapters/ and bin/ outside src/accounts that imports a private module of
 * src/accounts (or the store factory without being allowed to), or that names the account keys or
 * the password hash field. Returns the files scanned and one line per violation.
 */
export function findBoundaryViolations(root: string): { scanned: string[]; violations: string[] } {
  const scanned = SCANNED_DIRS.flatMap((dir) => sourceFiles(root, join(root, dir))).filter((file) => !file.startsWith('src/accounts/'));
  const violations: string[] = [];
  for (const file of scanned) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const pattern of IMPORTS) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (!specifier!.startsWith('.')) continue;
        const target = relative(root, resolve(root, dirname(file), specifier!)).split('\\').join('/');
        if (target !== 'src/accounts' && !target.startsWith('src/accounts/')) continue;
        const module = target.slice('src/accounts/'.length);
        if (PUBLIC_MODULES.includes(module) || (FACTORIES.includes(module) && FACTORY_USERS.includes(file))) continue;
        violations.push(`${file} imports ${target}`);
      }
    }
    for (const marker of PRIVATE_MARKERS) if (text.includes(marker)) violations.push(`${file} contains ${marker}`);
  }
  return { scanned, violations };
}

function sourceFiles(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(root, path);
    return /\.(?:ts|js|mjs|cjs)$/.test(entry.name) ? [relative(root, path).split('\\').join('/')] : [];
  });
}
