import { UsageError } from './cli-io.ts';

/**
 * Parses `--name value` and `--name=value` flags; anything else, an unknown flag or a flag
 * without a value is a UsageError. `booleans` are flags that take no value.
 */
export function parseFlags(args: string[], allowed: string[], usage: string, booleans: string[] = []): Record<string, string | undefined> {
  const flags: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument: ${arg}`, usage);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (booleans.includes(name)) {
      flags[name] = 'true';
      continue;
    }
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`, usage);
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`, usage);
    flags[name] = value;
  }
  return flags;
}
