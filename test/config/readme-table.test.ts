import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SETTINGS } from '../../src/config/settings.ts';
import { ROOT } from '../support/tessera.ts';

test('the README configuration table lists every setting with its default', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const setting of SETTINGS) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${setting.env}\``));
    expect(row).toBeDefined();
    expect(row).toContain(`\`${setting.key}\``);
    if (setting.default !== undefined) expect(row).toContain(setting.default);
  }
});
