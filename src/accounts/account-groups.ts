/** Most groups one account may be in. */
export const MAX_GROUPS = 100;
const GROUP = /^[A-Za-z0-9][\w.:@/-]{0,99}$/;

/** Problems with an account's groups (names of 1 to 100 letters, digits or _ . : @ / -); empty when they can be stored. */
export function checkGroups(groups: unknown): string[] {
  if (!Array.isArray(groups)) return ['groups: must be a list of group names'];
  if (groups.length > MAX_GROUPS) return [`groups: must be at most ${MAX_GROUPS} groups`];
  const bad = groups.filter((g) => typeof g !== 'string' || !GROUP.test(g));
  return bad.length ? [`groups: ${bad.map(String).join(', ')} must be 1 to 100 letters, digits or _ . : @ / -, starting with a letter or digit`] : [];
}

/** The groups as they are kept: unique, sorted. */
export function normalizeGroups(groups: readonly string[]): string[] {
  return [...new Set(groups)].sort();
}

/** How groups are stored in a field of the account record. */
export function groupsToField(groups: readonly string[]): string {
  return JSON.stringify(groups);
}

/** Reads the stored field back; a damaged value counts as no groups. */
export function groupsFromField(field: string | undefined): string[] {
  if (field === undefined) return [];
  try {
    const value: unknown = JSON.parse(field);
    return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}
