import { readFileSync } from 'node:fs';

/** What CONFIG_FILE holds, and why not, when it cannot be used. */
export interface ConfigFile {
  readonly values: Record<string, unknown>;
  readonly problems: readonly string[];
}

/** Reads CONFIG_FILE: a JSON object. Unset: no values and no problems. */
export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return { values: {}, problems: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { values: {}, problems: [`CONFIG_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { values: value as Record<string, unknown>, problems: [] };
    return { values: {}, problems: [`CONFIG_FILE: ${path} must hold a JSON object`] };
  } catch (err) {
    return { values: {}, problems: [`CONFIG_FILE: ${path} is not valid JSON (${(err as Error).message})`] };
  }
}
