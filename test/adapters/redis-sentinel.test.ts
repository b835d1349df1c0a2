import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, startRedis } from '../support/redis-server.ts';
import type { RedisProcess } from '../support/redis-server.ts';
import { readyOnRedis, startTessera, tempDir } from '../support/tessera.ts';

const SECRET = 'service-secret-0123456789abcdefghijklmnop';
const BASIC = `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`;

/** A master and one sentinel watching it as `tessera-master`, on loopback. */
async function startSentinel(): Promise<{ port: number; master: RedisProcess; stop(): Promise<void> }> {
  const master = await startRedis();
  const port = await freePort();
  const dir = tempDir('tessera-sentinel-');
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor tessera-master 127.0.0.1 ${master.port} 1\n`);
  const sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sentinel.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); if (out.includes('+monitor master tessera-master')) resolve(); });
    sentinel.once('exit', (code) => reject(new Error(`sentinel exited with ${code}: ${out}`)));
  });
  sentinel.removeAllListeners('exit');
  return {
    port, master,
    async stop() {
      const exited = new Promise((resolve) => sentinel.once('exit', resolve));
      sentinel.kill('SIGTERM');
      await exited;
      await master.stop();
    },
  };
}

test('Tessera through Redis Sentinel: finds the master, stores and reads tokens', async () => {
  const sentinel = await startSentinel();
  const tessera = await startTessera({
    redis: false,
    env: { REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'tessera-master', ACCESS_TOKEN_FORMAT: 'opaque' },
    configFile: { clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }] },
  });
  try {
    expect(await (await fetch(`${tessera.url}/readyz`)).json()).toEqual(readyOnRedis());
    const post = (path: string, body: string) => fetch(`${tessera.url}${path}`, {
      method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body,
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const { access_token: token } = await post('/token', 'grant_type=client_credentials');
    expect(await post('/token/introspection', `token=${String(token)}`)).toMatchObject({ active: true, client_id: 'svc' });
  } finally {
    await tessera.stop();
    await sentinel.stop();
  }
});
