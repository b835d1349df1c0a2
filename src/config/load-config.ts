import { clientFacts } from './client-facts.ts';
import { checkAuditLog } from './check-audit-log.ts';
import { checkCertsDir } from './check-certs-dir.ts';
import { checkKeysStore } from './check-keys-store.ts';
import { checkConsistency } from './check-consistency.ts';
import { checkProduction } from './check-production.ts';
import { availableMemory, checkScryptMemory } from './check-scrypt-memory.ts';
import { ConfigError } from './config-error.ts';
import { deepFreeze } from './deep-freeze.ts';
import { gatherSettings } from './gather-settings.ts';
import { parseSettings } from './parse-settings.ts';
import { readConfigFile } from './read-config-file.ts';
import { resolveDefaults } from './resolve-defaults.ts';
import type { Config } from './resolved-config.ts';

export type { Config, RedisTarget, ResourceServer, TracingTarget } from './resolved-config.ts';

/**
 * Reads the settings from the environment and CONFIG_FILE, validates them once and returns
 * them frozen. Throws a ConfigError that lists every problem at once, each naming its
 * setting: bad values, settings that contradict each other, and what production refuses.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const file = readConfigFile(env.CONFIG_FILE);
  const { raw, names } = gatherSettings(file.values, env);
  const { values, invalid, problems: parseProblems } = parseSettings(raw, names);
  let config = resolveDefaults(values);
  const problems = [...file.problems, ...parseProblems];
  // An unreadable CONFIG_FILE may hold any setting: checks across settings would guess.
  if (!file.problems.length) {
    const clients = clientFacts(raw.clients);
    problems.push(...checkConsistency(config, invalid, clients));
    if (!invalid.has('passwordScryptN')) problems.push(...checkScryptMemory(config.passwordScryptN, availableMemory()));
    const keysStore = checkKeysStore(config, invalid);
    problems.push(...keysStore.problems);
    if (keysStore.encryptionKey !== undefined) config = { ...config, keysEncryptionKey: keysStore.encryptionKey };
    if (!invalid.has('auditLog')) problems.push(...checkAuditLog(config.auditLog));
    const certsDir = invalid.has('certsDir') ? [] : checkCertsDir(config.certsDir);
    problems.push(...certsDir);
    const unusable = certsDir.length ? new Set([...invalid, 'certsDir']) : invalid;
    if (config.production) problems.push(...checkProduction(config, values, unusable, clients));
  }
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(config);
}
