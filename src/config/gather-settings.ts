import { SETTINGS } from './settings.ts';

/** Settings as given, by key, and the name each is known by in messages. */
export interface GatheredSettings {
  readonly raw: Readonly<Record<string, unknown>>;
  /** Key → the environment variable, or `clients (CONFIG_FILE)` for what only the file holds. */
  readonly names: ReadonlyMap<string, string>;
}

/** Puts the environment over CONFIG_FILE's values: a variable (or an alias) set and not empty wins. */
export function gatherSettings(fromFile: Record<string, unknown>, env: Record<string, string | undefined>): GatheredSettings {
  const raw: Record<string, unknown> = { ...fromFile };
  const names = new Map<string, string>([
    ['clients', 'clients (CONFIG_FILE)'],
    ['resourceServers', 'resourceServers (CONFIG_FILE)'],
  ]);
  for (const setting of SETTINGS) {
    names.set(setting.key, setting.env);
    const name = [setting.env, ...(setting.aliases ?? [])].find((n) => env[n] !== undefined && env[n] !== '');
    if (name) raw[setting.key] = env[name];
  }
  return { raw, names };
}
