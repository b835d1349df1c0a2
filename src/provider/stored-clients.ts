import type { Cluster, Redis } from 'ioredis';
import type { AdapterConstructor, AdapterFactory, AdapterPayload } from 'oidc-provider';

import { checkClientAudiences } from '../config/check-client-audiences.ts';
import { clientFacts } from '../config/client-facts.ts';
import { clientSchema } from '../config/client-schema.ts';
import type { ClientMetadata } from '../config/client-schema.ts';
import { clientRevision, clientWriter } from './client-compare-and-set.ts';
import { generateClientSecret, hashClientSecret } from './client-secret-hash.ts';
import type { SecretGrace } from './engine/client-secret.ts';
import { openAdapter } from './open-adapter.ts';
import type { ShownClient, StoredClients } from './stored-client-api.ts';
import { ClientConflictError, ClientMetadataError, ClientNotFoundError } from './stored-client-errors.ts';

/** A stored client as Redis holds it: the secret only as its hash. */
type StoredRecord = Omit<ClientMetadata, 'client_secret'> & { client_secret_grace?: SecretGrace };

export type { ShownClient, StoredClients } from './stored-client-api.ts';

/** The resource servers whose audiences and scopes clients may name (token_exchange, embed). */
interface Audience {
  readonly audience: string;
  readonly scopes: readonly string[];
}

function shown(record: StoredRecord & { client_secret?: string }): ShownClient {
  const { client_secret: _s, client_secret_hash: _h, client_secret_grace: _g, ...rest } = record;
  return rest;
}

/** Stored clients on the store's `Client` model, with an id index under `<prefix>{clients}:ids`. */
export function createStoredClients({
  redis,
  prefix,
  adapter,
  staticIds,
  resourceServers,
  onChange,
}: {
  redis: Redis | Cluster;
  prefix: string;
  /** Told of every client added, changed or removed, once it is written (src/provider/client-changes.ts). */
  onChange: (clientId: string) => Promise<void>;
  adapter: AdapterConstructor | AdapterFactory;
  staticIds: readonly string[];
  /** Checked as the start checks CONFIG_FILE clients (src/config/check-client-audiences.ts). */
  resourceServers: readonly Audience[];
}): StoredClients {
  const index = `${prefix}{clients}:ids`;
  const store = openAdapter(adapter, 'Client');
  const find = async (clientId: string) => (await store.find(clientId)) as StoredRecord | undefined;
  const write = clientWriter(redis, prefix, store);
  const validate = (metadata: ClientMetadata): ClientMetadata => {
    const parsed = clientSchema.safeParse(metadata);
    if (!parsed.success) throw new ClientMetadataError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const problems = checkClientAudiences(clientFacts([parsed.data]), resourceServers, () => 'client');
    if (problems.length) throw new ClientMetadataError(problems.map((p) => p.replace(/^client\./, '')));
    return parsed.data;
  };
  return {
    async add(metadata) {
      const publicClient = metadata.token_endpoint_auth_method === 'none';
      const { client_secret: _given, client_secret_hash: _hash, ...given } = metadata;
      const rest = { ...given, token_endpoint_auth_method: metadata.token_endpoint_auth_method ?? 'client_secret_basic' };
      const secret = publicClient ? undefined : generateClientSecret();
      const client = validate({ ...rest, ...(secret ? { client_secret_hash: hashClientSecret(secret) } : {}) });
      if (staticIds.includes(client.client_id)) throw new ClientConflictError(`client_id: ${client.client_id} is a static client of CONFIG_FILE`);
      if (await find(client.client_id)) throw new ClientConflictError(`client_id: ${client.client_id} already exists`);
      await store.upsert(client.client_id, client as AdapterPayload);
      await redis.sadd(index, client.client_id);
      await onChange(client.client_id);
      return { client: shown(client), ...(secret ? { secret } : {}) };
    },
    async list() {
      return (await redis.smembers(index)).sort();
    },
    async show(clientId) {
      const found = await find(clientId);
      return found ? shown(found) : undefined;
    },
    async read(clientId) {
      const found = await find(clientId);
      if (!found) return undefined;
      return { client: shown(found), revision: clientRevision(found) };
    },
    async update(clientId, metadata, ifRevision) {
      const found = await find(clientId);
      if (!found) throw new ClientNotFoundError(clientId);
      const { client_secret_hash: hash, client_secret_grace: grace } = found;
      const { client_secret: _s, client_secret_hash: _h, client_secret_grace: _g, ...changes } = metadata as StoredRecord & { client_secret?: string };
      const publicClient = changes.token_endpoint_auth_method === 'none';
      if (!publicClient && !hash) throw new ClientMetadataError(['token_endpoint_auth_method: a public client cannot become confidential; add a new client']);
      const client = validate({
        ...changes,
        client_id: clientId,
        token_endpoint_auth_method: changes.token_endpoint_auth_method ?? 'client_secret_basic',
        ...(publicClient ? {} : { client_secret_hash: hash }),
      } as ClientMetadata);
      const record: StoredRecord = { ...client, ...(!publicClient && grace ? { client_secret_grace: grace } : {}) };
      if (!(await write(clientId, record, ifRevision))) throw new ClientNotFoundError(clientId);
      await onChange(clientId);
      return shown(record);
    },
    async rotateSecret(clientId, graceSeconds) {
      const found = await find(clientId);
      if (!found) throw new ClientNotFoundError(clientId);
      if (!found.client_secret_hash) throw new ClientMetadataError([`token_endpoint_auth_method: ${clientId} is a public client and has no secret`]);
      const previous = found.client_secret_hash as string;
      const secret = generateClientSecret();
      const expires = Math.floor(Date.now() / 1000) + graceSeconds;
      const { client_secret_grace: _old, ...rest } = found;
      const record: StoredRecord = {
        ...rest,
        client_secret_hash: hashClientSecret(secret),
        ...(graceSeconds > 0 ? { client_secret_grace: { hash: previous, expires_at: expires } } : {}),
      };
      await store.upsert(clientId, record as AdapterPayload);
      await onChange(clientId);
      return { secret, ...(graceSeconds > 0 ? { previousValidUntil: expires } : {}) };
    },
    async resetSecret(clientId) {
      const found = await find(clientId);
      if (!found) return undefined;
      if (found.token_endpoint_auth_method === 'none') throw new ClientMetadataError([`client_id: ${clientId} is a public client, it has no secret`]);
      // A reset is a rotation without grace: the old secret stops at once, only the hash is kept.
      return (await this.rotateSecret(clientId, 0)).secret;
    },
    async remove(clientId, ifRevision) {
      if (!(await find(clientId)) || !(await write(clientId, undefined, ifRevision))) return false;
      await redis.srem(index, clientId);
      await onChange(clientId);
      return true;
    },
  };
}
