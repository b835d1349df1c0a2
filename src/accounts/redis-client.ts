import type { Cluster, Redis } from 'ioredis';

/** The Redis connection the accounts component is handed: standalone/Sentinel or Cluster. */
export type RedisClient = Redis | Cluster;
