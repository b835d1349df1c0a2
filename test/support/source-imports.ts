import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORTS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every source file (.ts, .js, .mjs, .cjs) under `dir`, as a path relative to `root` with forward slashes. */
export function sourceFiles(root: string, dir: string): string[] {
  let entries: Dirent[];
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

/**
 * The relative imports of `file` (static, dynamic, `export … from`, `import type`, require),
 * each resolved to a path relative to `root`; package imports are left out.
 */
export function relativeImports(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)].map(([, specifier]) => specifier!))
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) =>
      relative(root, resolve(root, dirname(file), specifier))
        .split('\\')
        .join('/'),
    );
}

/** Writes `files` (path relative to `root` → text) under `root`: a source tree for a scan to read. */
export function writeSourceTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}
