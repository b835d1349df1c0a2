import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SIGNING_ALGS } from '../../src/config/signing-algorithms.ts';
import { GENERATABLE_ALGS } from '../../src/keys/generate-key.ts';
import { isJwsAlgorithm } from '../../src/keys/jws-algorithms.ts';
import { DEFAULT_ALGORITHMS } from '../../src/resource-server/jwk-usage.ts';
import { SETTINGS } from '../../src/config/settings.ts';
import { sourceFiles } from '../support/source-imports.ts';
import { ROOT } from '../support/tessera.ts';

/** The one table, and the kit's own copy (it imports nothing of the provider side). */
const TABLES = ['src/config/signing-algorithms.ts', 'src/resource-server/jwk-usage.ts'];

test('the JWS algorithms are written in one table; the kit keeps an equal copy of its own', () => {
  const listed = /['"](?:ES256|RS256|PS256|EdDSA)['"]\s*,\s*['"](?:ES256|RS256|PS256|EdDSA)['"]\s*,\s*['"](?:ES256|RS256|PS256|EdDSA)['"]/;
  const spelled = ['src', 'adapters']
    .flatMap((dir) => sourceFiles(ROOT, join(ROOT, dir)))
    .filter((file) => listed.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(spelled.sort()).toEqual(TABLES);
  expect([...DEFAULT_ALGORITHMS]).toEqual([...SIGNING_ALGS]);
});

test('what signs, generates keys and validates ACCESS_TOKEN_ALG derives from the table', () => {
  expect(SIGNING_ALGS.filter((alg) => isJwsAlgorithm(alg))).toEqual([...SIGNING_ALGS]);
  expect(isJwsAlgorithm('HS256')).toBe(false);
  expect([...GENERATABLE_ALGS]).toEqual([...SIGNING_ALGS]);
  expect(SETTINGS.find((s) => s.env === 'ACCESS_TOKEN_ALG')?.values).toEqual(SIGNING_ALGS);
});
