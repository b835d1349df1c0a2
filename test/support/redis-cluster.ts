import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { Cluster } from 'ioredis';

import { startRedis } from './redis-server.ts';
import type { RedisProcess } from './redis-server.ts';

const run = promisify(execFile);

/** A three-master Redis Cluster on loopback, for tests that must prove their keys are single-slot. */
export interface RedisCluster {
  readonly client: Cluster;
  /** The masters' ports. */
  readonly ports: readonly number[];
  /** Keys matching `pattern` across every master. */
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts three cluster-enabled redis-servers, joins them, and connects an ioredis Cluster client. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes: RedisProcess[] = await Promise.all([0, 1, 2].map(() => startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'])));
  await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
  for (let i = 0; ; i++) {
    const states = await Promise.all(nodes.map(async (n) => (await run('redis-cli', ['-p', String(n.port), 'cluster', 'info'])).stdout));
    if (states.every((s) => s.includes('cluster_state:ok'))) break;
    if (i > 100) throw new Error('the Redis Cluster did not become ready');
    await sleep(100);
  }
  const client = new Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
  return {
    client,
    ports: nodes.map((n) => n.port),
    async keys(pattern) {
      return (await Promise.all(client.nodes('master').map((node) => node.keys(pattern)))).flat();
    },
    async stop() {
      await client.quit();
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
