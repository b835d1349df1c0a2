/**
 * `text` without its audit lines (JSON lines with `"audit":true`), which the CLI writes to
 * stderr beside its messages while AUDIT_LOG is `stdout` or `stderr`: for tests of those messages.
 */
export function withoutAudit(text: string): string {
  return text.replace(/^\{[^\n]*"audit":true[^\n]*\}\r?\n/gm, '');
}

/** The audit lines of `text`, parsed. */
export function auditLines(text: string): Record<string, unknown>[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('{') && line.includes('"audit":true'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
