import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { SIGNING_ALGS } from '../config/signing-algorithms.ts';

/**
 * A key's place in its rotation: `next` is published but does not sign yet, `active` signs,
 * `retired` no longer signs and stays published until every token it signed has expired.
 */
export const KEY_STATES = ['next', 'active', 'retired'] as const;
export type KeyState = (typeof KEY_STATES)[number];

const entrySchema = z
  .object({
    alg: z.enum(SIGNING_ALGS).optional(),
    kid: z.string().min(1).optional(),
    state: z.enum(KEY_STATES, { message: `must be one of ${KEY_STATES.join(', ')}` }).optional(),
    /** When the key entered its state (ISO 8601). */
    since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z' }).optional(),
  })
  .strict();

const manifestSchema = z.record(z.string(), entrySchema);

/** CERTS_DIR/keys.json: per key file stem, a pinned `alg` and/or `kid`, and its rotation state. */
export type KeyManifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = z.infer<typeof entrySchema>;

export const MANIFEST_FILE = 'keys.json';

/** Reads keys.json (an absent file is an empty manifest); problems are appended to `problems`. */
export function readManifest(dir: string, problems: string[]): KeyManifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    problems.push(...parsed.error.issues.map((i) => `CERTS_DIR: ${MANIFEST_FILE} ${i.path.join('.')}: ${i.message}`));
  } catch (err) {
    problems.push(`CERTS_DIR: ${MANIFEST_FILE} is not valid JSON (${(err as Error).message})`);
  }
  return {};
}

/** Replaces keys.json atomically: a reader sees the old manifest or the new one, never half of one. */
export function writeManifest(dir: string, manifest: KeyManifest): void {
  const path = join(dir, MANIFEST_FILE);
  const temporary = join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
