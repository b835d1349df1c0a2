import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, startRedis } from './redis-server.ts';
import type { RedisProcess } from './redis-server.ts';
import { tempDir } from './tessera.ts';

/** A master and one sentinel watching it as `tessera-master`, on loopback. */
export async function startSentinel(): Promise<{ port: number; master: RedisProcess; stop(): Promise<void> }> {
  const master = await startRedis();
  const port = await freePort();
  const dir = tempDir('tessera-sentinel-');
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor tessera-master 127.0.0.1 ${master.port} 1\n`);
  const sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sentinel.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('+monitor master tessera-master')) resolve();
    });
    sentinel.once('exit', (code) => reject(new Error(`sentinel exited with ${code}: ${out}`)));
  });
  sentinel.removeAllListeners('exit');
  return {
    port,
    master,
    async stop() {
      const exited = new Promise((resolve) => sentinel.once('exit', resolve));
      sentinel.kill('SIGTERM');
      await exited;
      await master.stop();
    },
  };
}
