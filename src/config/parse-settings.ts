import type { z } from 'zod';

import { configSchema } from './schema.ts';
import type { ParsedConfig } from './schema.ts';

/** Every setting parsed on its own, so that one bad value hides no other problem. */
export interface ParsedSettings {
  /** The valid settings, and the defaults of the invalid ones (for checks across settings, never to run with). */
  readonly values: ParsedConfig;
  /** Keys of the settings whose value is invalid. */
  readonly invalid: ReadonlySet<string>;
  /** One line per problem, naming the setting and what is valid. */
  readonly problems: readonly string[];
}

/** Parses each setting by its schema, and names keys that are no setting. */
export function parseSettings(raw: Readonly<Record<string, unknown>>, names: ReadonlyMap<string, string>): ParsedSettings {
  const values: Record<string, unknown> = {};
  const invalid = new Set<string>();
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const result = schema.safeParse(raw[key]);
    if (result.success) {
      values[key] = result.data;
      continue;
    }
    invalid.add(key);
    values[key] = schema.safeParse(undefined).data;
    problems.push(...result.error.issues.map((issue) => describeIssue(names.get(key) ?? key, issue)));
  }
  const unknown = Object.keys(raw).filter((key) => !Object.hasOwn(configSchema.shape, key));
  if (unknown.length) {
    problems.push(`CONFIG_FILE: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (the README lists the valid keys)`);
  }
  return { values: values as ParsedConfig, invalid, problems };
}

function describeIssue(setting: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  if (issue.code === 'unrecognized_keys') return `${setting}${where}: unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `${setting}${where}: ${issue.message}`;
}
