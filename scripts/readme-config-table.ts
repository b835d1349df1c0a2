// Rewrites the configuration table of README.md from src/config/settings.ts: `node scripts/readme-config-table.ts`.
import { readFileSync, writeFileSync } from 'node:fs';

import { SETTINGS } from '../src/config/settings.ts';

const path = new URL('../README.md', import.meta.url);
const lines = readFileSync(path, 'utf8').split('\n');
const header = lines.indexOf('| variable | file key | default | meaning |');
if (header < 0) throw new Error('README.md has no configuration table');
let end = header + 2;
while (lines[end]?.startsWith('| `')) end++;
const rows = SETTINGS.map((s) => {
  const values = s.kind === 'enum' && s.values ? ` One of: ${s.values.map((v) => `\`${v}\``).join(', ')}.` : '';
  return `| \`${s.env}\` | \`${s.key}\` | ${s.default ?? '—'} | ${s.doc}${values} |`;
});
lines.splice(header + 2, end - header - 2, ...rows);
writeFileSync(path, lines.join('\n'));
