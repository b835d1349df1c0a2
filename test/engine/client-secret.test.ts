import { Provider } from 'oidc-provider';

import { hashClientSecret } from '../../src/provider/client-secret-hash.ts';
import { checkHashedClientSecrets, engineClientMetadata, matchesHashedSecret } from '../../src/provider/engine/client-secret.ts';

const SECRET = 'a-hashed-secret-0123456789abcdefghijklmno';
const client = engineClientMetadata({
  client_id: 'svc',
  client_secret: undefined as string | undefined,
  client_secret_hash: hashClientSecret(SECRET),
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
});

function engine(): Provider {
  return new Provider('http://localhost:1', {
    clients: [client],
    features: { clientCredentials: { enabled: true } },
    extraClientMetadata: { properties: ['client_secret_hash'] },
  });
}

test('the engine gets a stand-in secret that is neither the secret nor its hash', () => {
  expect(client.client_secret).toMatch(/^[\w-]{43}$/);
  expect(client.client_secret).not.toBe(SECRET);
  expect(engineClientMetadata({ client_id: 'plain', client_secret: 'kept' }).client_secret).toBe('kept');
});

test('seam: Client#compareClientSecret, replaced, checks the hash', async () => {
  const provider = engine();
  checkHashedClientSecrets(provider);
  const found = (await provider.Client.find('svc'))!;
  expect(await found.compareClientSecret(SECRET)).toBe(true);
  expect(await found.compareClientSecret(`${SECRET}x`)).toBe(false);
  expect(await found.compareClientSecret(client.client_secret!)).toBe(false);
});

test('without the replacement the engine fails closed: the real secret does not match the stand-in', async () => {
  const found = (await engine().Client.find('svc'))!;
  expect(await found.compareClientSecret(SECRET)).toBe(false);
});

test('the previous hash matches until its grace period ends', () => {
  const rotated = { client_secret_hash: hashClientSecret('new'), client_secret_grace: { hash: hashClientSecret('old'), expires_at: 1000 } };
  expect(matchesHashedSecret(rotated, 'old', 999)).toBe(true);
  expect(matchesHashedSecret(rotated, 'old', 1000)).toBe(false);
  expect(matchesHashedSecret(rotated, 'new', 5000)).toBe(true);
});
