import { startTessera } from '../support/tessera.ts';

const SECRET = 'orders-service-secret-0123456789abcdef';
const BASIC = `Basic ${Buffer.from(`orders:${SECRET}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

test('ACCESS_TOKEN_FORMAT=opaque: tokens are stored, introspected as active for their audience, and revocable', async () => {
  const tessera = await startTessera({
    env: { ACCESS_TOKEN_FORMAT: 'opaque' },
    configFile: {
      clients: [{ client_id: 'orders', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' }],
    },
  });
  try {
    const post = async (path: string, body: Record<string, string>) => {
      const response = await fetch(`${tessera.url}${path}`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': FORM },
        body: new URLSearchParams(body),
      });
      return { status: response.status, text: await response.text() };
    };
    const issued = await post('/token', { grant_type: 'client_credentials', scope: 'api:read' });
    const { access_token: token } = JSON.parse(issued.text) as { access_token: string };
    expect(token).toMatch(/^[\w-]{43}$/);
    const active = JSON.parse((await post('/token/introspection', { token })).text) as Record<string, unknown>;
    expect(active).toMatchObject({ active: true, aud: 'resource_server', client_id: 'orders', scope: 'api:read', iss: tessera.url, token_type: 'Bearer' });
    expect(await post('/token/revocation', { token })).toEqual({ status: 200, text: '' });
    expect(JSON.parse((await post('/token/introspection', { token })).text)).toEqual({ active: false });
  } finally {
    await tessera.stop();
  }
});

test("ACCESS_TOKEN_FORMAT=opaque: introspection answers only the token's client and the audience's introspectors", async () => {
  const service = (id: string, secret: string) => ({
    client_id: id,
    client_secret: secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  });
  const tessera = await startTessera({
    env: { ACCESS_TOKEN_FORMAT: 'opaque', ACCESS_TOKEN_INTROSPECTORS: 'gateway' },
    configFile: {
      clients: [{ ...service('orders', SECRET), scope: 'api:read' }, service('gateway', `gateway-${SECRET}`), service('stranger', `stranger-${SECRET}`)],
    },
  });
  try {
    const post = async (id: string, secret: string, path: string, body: Record<string, string>) => {
      const response = await fetch(`${tessera.url}${path}`, {
        method: 'POST',
        body: new URLSearchParams(body),
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': FORM },
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const { access_token: token } = (await post('orders', SECRET, '/token', { grant_type: 'client_credentials', scope: 'api:read' })) as {
      access_token: string;
    };
    const description = { active: true, aud: 'resource_server', client_id: 'orders', scope: 'api:read' };
    expect(await post('orders', SECRET, '/token/introspection', { token })).toMatchObject(description);
    expect(await post('gateway', `gateway-${SECRET}`, '/token/introspection', { token })).toMatchObject(description);
    expect(await post('stranger', `stranger-${SECRET}`, '/token/introspection', { token })).toEqual({ active: false });
  } finally {
    await tessera.stop();
  }
});
