import { checkAuditLog } from './check-audit-log.ts';
import { gatherSettings } from './gather-settings.ts';
import { readConfigFile } from './read-config-file.ts';

/**
 * AUDIT_LOG alone, for the CLI's audit of a command that has run: from the environment or
 * CONFIG_FILE, `stdout` when unset, and `undefined` when it is not usable (loadConfig reports why).
 * Cheaper than loadConfig, whose other checks the command has already passed or failed.
 */
export function auditLogSetting(env: Record<string, string | undefined>): string | undefined {
  const file = readConfigFile(env.CONFIG_FILE);
  const value = gatherSettings(file.values, env).raw.auditLog ?? 'stdout';
  if (typeof value !== 'string' || !value || checkAuditLog(value).length) return undefined;
  return value;
}
