import { randomBytes } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';
import type { AdapterConstructor, AdapterFactory, AdapterPayload } from 'oidc-provider';

import { clientSchema } from '../config/schema.ts';
import type { ClientMetadata } from '../config/schema.ts';

/** Clients kept in Redis beside the static ones of CONFIG_FILE; the engine finds them through its `Client` model. */
export interface StoredClients {
  /** Validates and stores a client; a confidential one gets a generated secret, returned once. */
  add(metadata: ClientMetadata): Promise<{ client: ClientMetadata; secret?: string }>;
  list(): Promise<string[]>;
  /** The stored metadata without its secret. */
  show(clientId: string): Promise<Omit<ClientMetadata, 'client_secret'> | undefined>;
  remove(clientId: string): Promise<boolean>;
  /** Gives a confidential client a new generated secret (returned once); the old one stops working. Undefined: no such client. */
  resetSecret(clientId: string): Promise<string | undefined>;
}

/** A client the operator tried to store is not valid; `problems` name every field. */
export class ClientMetadataError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ClientMetadataError';
    this.problems = problems;
  }
}

function open(adapter: AdapterConstructor | AdapterFactory) {
  return /^class\b/.test(Function.prototype.toString.call(adapter))
    ? new (adapter as AdapterConstructor)('Client') : (adapter as AdapterFactory)('Client');
}

/** Stored clients on the store's `Client` model, with an id index under `<prefix>{clients}:ids`. */
export function createStoredClients({ redis, prefix, adapter, staticIds }: {
  redis: Redis | Cluster;
  prefix: string;
  adapter: AdapterConstructor | AdapterFactory;
  staticIds: readonly string[];
}): StoredClients {
  const index = `${prefix}{clients}:ids`;
  const store = open(adapter);
  return {
    async add(metadata) {
      const publicClient = metadata.token_endpoint_auth_method === 'none';
      const secret = publicClient ? undefined : randomBytes(32).toString('base64url');
      const parsed = clientSchema.safeParse({ ...metadata, ...(secret ? { client_secret: secret } : {}) });
      if (!parsed.success) throw new ClientMetadataError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      const client = parsed.data;
      if (staticIds.includes(client.client_id)) throw new ClientMetadataError([`client_id: ${client.client_id} is a static client of CONFIG_FILE`]);
      if (await store.find(client.client_id)) throw new ClientMetadataError([`client_id: ${client.client_id} already exists`]);
      await store.upsert(client.client_id, client as AdapterPayload);
      await redis.sadd(index, client.client_id);
      return { client, ...(secret ? { secret } : {}) };
    },
    async list() {
      return (await redis.smembers(index)).sort();
    },
    async show(clientId) {
      const found = await store.find(clientId) as ClientMetadata | undefined;
      if (!found) return undefined;
      const { client_secret: _secret, ...rest } = found;
      return rest;
    },
    async resetSecret(clientId) {
      const found = await store.find(clientId) as ClientMetadata | undefined;
      if (!found) return undefined;
      if (found.token_endpoint_auth_method === 'none') throw new ClientMetadataError([`client_id: ${clientId} is a public client, it has no secret`]);
      const secret = randomBytes(32).toString('base64url');
      await store.upsert(clientId, { ...found, client_secret: secret } as AdapterPayload);
      return secret;
    },
    async remove(clientId) {
      if (!(await store.find(clientId))) return false;
      await store.destroy(clientId);
      await redis.srem(index, clientId);
      return true;
    },
  };
}
