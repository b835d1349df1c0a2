import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../support/tessera.ts';

const KIT = join(ROOT, 'src/resource-server');
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of the kit that is not a sibling module, a Node builtin or a type of jose, as `file: specifier`. */
function foreignImports(): { files: string[]; foreign: string[] } {
  const files = readdirSync(KIT).filter((name) => name.endsWith('.ts'));
  const foreign: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(KIT, file), 'utf8');
    for (const [, , typeOnly, specifier] of text.matchAll(IMPORT)) {
      const sibling = /^\.\/[\w-]+\.ts$/.test(specifier!);
      if (sibling || specifier!.startsWith('node:') || (specifier === 'jose' && typeOnly)) continue;
      foreign.push(`${file}: ${typeOnly ? 'type ' : ''}${specifier}`);
    }
    for (const [, specifier] of text.matchAll(DYNAMIC)) {
      if (specifier !== '@opentelemetry/api' || file !== 'trace-headers.ts') foreign.push(`${file}: import(${specifier})`);
    }
  }
  return { files, foreign };
}

test('the kit imports only its own modules, Node builtins and jose types: nothing of the provider side, and it verifies on node:crypto', () => {
  const { files, foreign } = foreignImports();
  expect(files).toEqual(expect.arrayContaining(['index.ts', 'create-verifier.ts', 'jwt-core.ts', 'jws-signature.ts', 'dpop-proof.ts']));
  expect(foreign).toEqual([]);
});

test('the kit core is shared downwards: the token exchange verifies its own JWTs with it', () => {
  const ownJwt = readFileSync(join(ROOT, 'src/token-exchange/verify-own-jwt.ts'), 'utf8');
  expect(ownJwt).toContain("from '../resource-server/jwt-core.ts'");
  expect(ownJwt).not.toMatch(/from '\.\.\/keys\//);
});
