import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { createJwtSigner } from '../../src/keys/jwt-signer.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import { startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE } from './support/exchange-fixture.ts';

const SECRET = 'order-worker-secret-0123456789abcdefghij';
let tessera: TesseraProcess;

afterAll(async () => {
  await tessera.stop();
});

async function exchange(subjectToken: string) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`order-worker:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, audience: 'payments' }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

test('a subject token remembered as verified is refused once its key is taken out of CERTS_DIR', async () => {
  const certs = tempDir('tessera-certs-');
  const extraDir = tempDir('tessera-extra-key-');
  generateKeyFile(certs, 'ES256', 'kept-es256');
  const copied = join(certs, 'extra-es256.pem');
  copyFileSync(generateKeyFile(extraDir, 'ES256', 'extra-es256'), copied);
  tessera = await startTessera({
    env: { CERTS_DIR: certs, KEYS_RELOAD_INTERVAL: '0' },
    configFile: {
      clients: [
        {
          client_id: 'order-worker',
          client_secret: SECRET,
          grant_types: [TOKEN_EXCHANGE],
          redirect_uris: [],
          response_types: [],
          token_exchange: { targets: [{ audience: 'payments', scope: 'payments' }] },
        },
      ],
      resourceServers: [
        { indicator: 'https://orders.example.com', audience: 'orders', scopes: ['payments'] },
        { indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'] },
      ],
    },
  });
  const now = Math.floor(Date.now() / 1000);
  const subject = await createJwtSigner(await loadKeys({ dir: extraDir }))('ES256', {
    iss: tessera.url,
    aud: 'orders',
    sub: 'user-1',
    client_id: 'web',
    scope: 'payments',
    jti: 'j-1',
    iat: now,
    exp: now + 600,
  });
  expect((await exchange(subject)).status).toBe(200);

  rmSync(copied);
  tessera.process.kill('SIGHUP');
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && !tessera.logs().some((l) => l.event === 'keys.reloaded'); ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(tessera.logs().some((l) => l.event === 'keys.reloaded')).toBe(true);
  expect(await exchange(subject)).toEqual({
    status: 400,
    body: {
      error: 'invalid_grant',
      error_description: 'the subject_token is not a valid access token of this issuer',
    },
  });
});
