import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { tempDir } from '../support/tessera.ts';

/** How long `auditOnce` waits for an event: the file is written synchronously, the request may still be under way. */
const WAIT_MS = 15_000;

/** A file to point AUDIT_LOG at, not created yet, and what is in it. */
export interface AuditFile {
  readonly path: string;
  /** The file's text so far. */
  text(): string;
  /** Its events so far, parsed. */
  events(): Record<string, unknown>[];
  /** Resolves with the events once one matches `match`; rejects after 15 s, showing the file. */
  once(match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]>;
}

/** A fresh AUDIT_LOG file in a temporary directory. */
export function auditFile(): AuditFile {
  const path = join(tempDir('tessera-audit-'), 'audit.log');
  const text = (): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const events = (): Record<string, unknown>[] =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    path,
    text,
    events,
    async once(match) {
      for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        const all = events();
        if (all.some(match)) return all;
      }
      throw new Error(`no matching audit event within ${WAIT_MS / 1000} s:\n${text()}`);
    },
  };
}

/** The fields every audit line has besides its own: level, time, service, audit, requestId and msg. */
export function auditLine(level: 'info' | 'warn', fields: Record<string, unknown>): Record<string, unknown> {
  return {
    level,
    time: expect.any(String),
    service: 'tessera',
    audit: true,
    requestId: expect.stringMatching(/^[\w.:-]{1,64}$/),
    msg: expect.any(String),
    ...fields,
  };
}

/** Each of `secrets` that appears in `text` (expected: none). */
export function secretsIn(text: string, secrets: readonly (string | undefined)[]): string[] {
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0 && text.includes(s));
}
