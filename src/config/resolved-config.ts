import type { RedisTarget } from '../../adapters/redis/redis-client.ts';
import type { ParsedConfig } from './schema.ts';
import type { SigningAlg } from './signing-algorithms.ts';

/** A resource server with every default resolved. */
export interface ResourceServer {
  readonly indicator: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly accessTokenTTL: number;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly signingAlg: SigningAlg;
  /** Clients that may introspect this audience's tokens besides the client each was issued to. */
  readonly introspectors: readonly string[];
  /** The claim of its access tokens that carries the user's groups, if any. */
  readonly groupsClaim?: string | undefined;
  /** The groups it may see; undefined: all. */
  readonly groups?: readonly string[] | undefined;
}

/** Where Redis is: the Redis adapter's own statement of what it connects to, which the configuration resolves. */
export type { RedisTarget };

/** Tessera's validated, defaulted and frozen configuration. */
export interface Config extends Omit<ParsedConfig, 'issuer' | 'cookieKeys' | 'resourceServers' | 'accessTokenResource'> {
  readonly issuer: string;
  readonly cookieKeys: readonly string[];
  readonly accessTokenResource: string;
  /** The default audience first, then the configured resource servers. */
  readonly resourceServers: readonly ResourceServer[];
  readonly production: boolean;
  /** Redis, when one of REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is set. */
  readonly redis?: RedisTarget | undefined;
  /** OpenTelemetry tracing, when OTEL_TRACES_EXPORTER or an OTLP endpoint turns it on. */
  readonly tracing?: TracingTarget | undefined;
}

/** Where spans go: an OTLP/HTTP (JSON) traces URL, and the service name they carry. */
export interface TracingTarget {
  readonly endpoint: string;
  readonly serviceName: string;
}
