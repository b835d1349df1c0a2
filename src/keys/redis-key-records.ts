import { z } from 'zod';

import { SIGNING_ALGS } from '../config/signing-algorithms.ts';

import { KEY_STATES } from './key-manifest.ts';
import type { ManifestEntry } from './key-manifest.ts';

/**
 * One key as Redis holds it (a field of the records hash, named after the key): the private key
 * sealed with the key-encryption key, its certificates (public) and its manifest entry.
 */
const recordSchema = z
  .object({
    key: z.object({ iv: z.string(), tag: z.string(), data: z.string() }).strict(),
    certificates: z.array(z.string()).default([]),
    alg: z.enum(SIGNING_ALGS).optional(),
    kid: z.string().min(1).optional(),
    state: z.enum(KEY_STATES).optional(),
    since: z.string().optional(),
  })
  .strict();

export type KeyRecord = z.infer<typeof recordSchema>;

/** Parses a stored record; a reason string when it is not one. */
export function parseKeyRecord(text: string): KeyRecord | string {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : `is not a key record (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`;
  } catch {
    return 'is not a key record (not JSON)';
  }
}

/** The manifest entry a record carries. */
export function entryOf(record: KeyRecord): ManifestEntry {
  const { alg, kid, state, since } = record;
  return { ...(alg ? { alg } : {}), ...(kid ? { kid } : {}), ...(state ? { state } : {}), ...(since ? { since } : {}) };
}

/** The Redis names of a key set: every key carries the same hash tag, so all sit in one Cluster slot. */
export function keySetNames(prefix: string): { records: string; version: string; lock: string; channel: string } {
  const base = `${prefix}{signing-keys}`;
  return { records: `${base}:records`, version: `${base}:version`, lock: `${base}:lock`, channel: `${prefix}signing-keys:changed` };
}
