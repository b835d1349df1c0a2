import { Provider } from 'oidc-provider';

import { letGrantTypeThrough } from '../../src/provider/engine/grant-type-allowed.ts';
import { engineMemoryAdapter } from '../../src/provider/engine/memory-adapter.ts';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const clients = [{ client_id: 'svc', client_secret: 'a-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }];

function engine(): Provider {
  return new Provider('http://localhost:1', { clients, adapter: engineMemoryAdapter(), features: { clientCredentials: { enabled: true } } });
}

test('seam: the engine asks Client#grantTypeAllowed, which follows grant_types until it is let through', async () => {
  const before = (await engine().Client.find('svc'))!;
  expect([before.grantTypeAllowed('client_credentials'), before.grantTypeAllowed(EXCHANGE)]).toEqual([true, false]);

  const provider = engine();
  letGrantTypeThrough(provider, EXCHANGE);
  const after = (await provider.Client.find('svc'))!;
  expect([after.grantTypeAllowed('client_credentials'), after.grantTypeAllowed(EXCHANGE), after.grantTypeAllowed('refresh_token')]).toEqual([
    true,
    true,
    false,
  ]);
});

test('seam: the engine refuses a grant the client lacks before any handler, with invalid_request (hence the seam)', async () => {
  const provider = engine();
  const server = provider.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('svc:a-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
