import { Provider } from 'oidc-provider';

import { engineMemoryAdapter } from '../../src/provider/engine/memory-adapter.ts';
import { NO_GRANT } from '../../src/provider/engine/no-grant.ts';

const clients = [{ client_id: 'rs', client_secret: 'a-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }];

async function introspect(provider: Provider, token: string): Promise<Record<string, unknown>> {
  const server = provider.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('rs:a-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test("seam: an access token with the empty grantId is active at the engine's introspection, which looks up no Grant for it", async () => {
  const provider = new Provider('http://localhost:1', {
    clients,
    adapter: engineMemoryAdapter(),
    features: { clientCredentials: { enabled: true }, introspection: { enabled: true } },
  });
  const client = (await provider.Client.find('rs'))!;
  const grantless = await new provider.AccessToken({ client, accountId: 'alice', grantId: NO_GRANT, gty: 'custom', scope: 'openid' }).save();
  expect(await introspect(provider, grantless)).toMatchObject({ active: true, sub: 'alice', client_id: 'rs', scope: 'openid' });
  // The same token naming a Grant that does not exist is not active: the empty grantId is what spares it the lookup.
  const orphan = await new provider.AccessToken({ client, accountId: 'alice', grantId: 'no-such-grant', gty: 'custom', scope: 'openid' }).save();
  expect(await introspect(provider, orphan)).toEqual({ active: false });
});
