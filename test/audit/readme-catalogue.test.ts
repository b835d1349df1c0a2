import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_EVENT_NAMES } from '../../src/observability/audit-catalogue.ts';
import { ROOT } from '../support/tessera.ts';

test('the README audit catalogue lists exactly the events of the catalogue, each with when, actor, target, outcome and fields', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- audit-catalogue:start -->'), readme.indexOf('<!-- audit-catalogue:end -->'));
  const rows = table.split('\n').filter((line) => line.startsWith('| `'));
  expect(rows.map((row) => /^\| `([\w.]+)` \|/.exec(row)?.[1])).toEqual([...AUDIT_EVENT_NAMES]);
  for (const row of rows) expect(row.split(' | ').length).toBe(6);
});
