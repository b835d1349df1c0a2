import { startSentinel } from '../support/redis-sentinel.ts';
import { readyOnRedis, startTessera } from '../support/tessera.ts';

const SECRET = 'service-secret-0123456789abcdefghijklmnop';
const BASIC = `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`;

test('Tessera through Redis Sentinel: finds the master, stores and reads tokens', async () => {
  const sentinel = await startSentinel();
  const tessera = await startTessera({
    redis: false,
    env: { REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'tessera-master', ACCESS_TOKEN_FORMAT: 'opaque' },
    configFile: { clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }] },
  });
  try {
    expect(await (await fetch(`${tessera.url}/readyz`)).json()).toEqual(readyOnRedis());
    const post = (path: string, body: string) =>
      fetch(`${tessera.url}${path}`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const { access_token: token } = await post('/token', 'grant_type=client_credentials');
    expect(await post('/token/introspection', `token=${String(token)}`)).toMatchObject({ active: true, client_id: 'svc' });
  } finally {
    await tessera.stop();
    await sentinel.stop();
  }
});
