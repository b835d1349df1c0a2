import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '../../src/config/load-config.ts';
import { SIGNING_ALGS } from '../../src/config/signing-algorithms.ts';
import { algorithmPin } from '../../src/keys/algorithm-pin.ts';
import { generateKeyFile, generatePinnedKeyFile } from '../../src/keys/generate-key.ts';
import { readManifest } from '../../src/keys/key-manifest.ts';
import { rotateKeys } from '../../src/keys/rotate-keys.ts';
import { tempDir } from '../support/tessera.ts';

test('an RSA key is pinned to its algorithm, an EC or Ed25519 key needs no pin', () => {
  expect(SIGNING_ALGS.map((alg) => [alg, algorithmPin(alg)])).toEqual([
    ['ES256', {}],
    ['RS256', { alg: 'RS256' }],
    ['PS256', { alg: 'PS256' }],
    ['EdDSA', {}],
  ]);
});

test.each(SIGNING_ALGS)('rotation and key generation write the same keys.json entry for a new %s key', async (alg) => {
  const generated = tempDir();
  generatePinnedKeyFile(generated, alg, 'made');
  const made = readManifest(generated, []);

  const rotated = tempDir();
  generateKeyFile(rotated, alg, 'current');
  writeFileSync(join(rotated, 'keys.json'), JSON.stringify({ current: { alg } }));
  const plan = await rotateKeys({ config: loadConfig({ CERTS_DIR: rotated, ACCESS_TOKEN_ALG: alg }) });
  const next = plan.generate[0]!.stem;
  const { state: _state, since: _since, ...entry } = readManifest(rotated, [])[next]!;

  expect(entry).toEqual(algorithmPin(alg));
  expect(made.made ?? {}).toEqual(algorithmPin(alg));
});
