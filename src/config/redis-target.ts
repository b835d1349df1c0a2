import type { RedisTarget } from './resolved-config.ts';
import type { ParsedConfig } from './schema.ts';

/** Where Redis is, from REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS (in that order); `undefined` when none is set. */
export function redisTarget(parsed: ParsedConfig): RedisTarget | undefined {
  const commandTimeout = parsed.redisCommandTimeout;
  if (parsed.redisUrl) return { kind: 'standalone', url: parsed.redisUrl, commandTimeout };
  const [kind, list] = parsed.redisClusterNodes?.length
    ? (['cluster', parsed.redisClusterNodes] as const)
    : parsed.redisSentinels?.length
      ? (['sentinel', parsed.redisSentinels] as const)
      : ([undefined, []] as const);
  if (!kind) return undefined;
  const nodes = list.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
  return { kind, nodes, name: parsed.redisSentinelName, password: parsed.redisPassword, tls: parsed.redisTls, commandTimeout };
}
