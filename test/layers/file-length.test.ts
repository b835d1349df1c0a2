import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sourceFiles } from '../support/source-imports.ts';
import { ROOT } from '../support/tessera.ts';

/** A source file of Tessera holds one job; past this many lines it holds more than one. */
const MOST_LINES = 150;

test(`no source file in src/ or adapters/ is longer than ${MOST_LINES} lines`, () => {
  const files = ['src', 'adapters'].flatMap((dir) => sourceFiles(ROOT, join(ROOT, dir)));
  expect(files).toEqual(expect.arrayContaining(['src/main.ts', 'src/provider/create-provider.ts', 'adapters/redis/redis-adapter.ts']));
  const long = files
    .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MOST_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
  expect(long).toEqual([]);
});
