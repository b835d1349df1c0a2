import type { ClientMetadata } from '../config/client-schema.ts';

/** A client as it is shown: no secret, no hash. */
export type ShownClient = Omit<ClientMetadata, 'client_secret' | 'client_secret_hash'>;

/** Clients kept in Redis beside the static ones of CONFIG_FILE; the engine finds them through its `Client` model. */
export interface StoredClients {
  /** Validates and stores a client; a confidential one gets a generated secret, returned once (only its hash is kept). */
  add(metadata: ClientMetadata): Promise<{ client: ShownClient; secret?: string }>;
  /** Every stored client_id, sorted. */
  list(): Promise<string[]>;
  /** The stored metadata without its secret. */
  show(clientId: string): Promise<ShownClient | undefined>;
  /** The client and a revision that changes with every change to it (an ETag). */
  read(clientId: string): Promise<{ client: ShownClient; revision: string } | undefined>;
  /**
   * Replaces the metadata (client_id and secret stay); validated as `add` validates. With
   * `ifRevision`, only if that still is the client's revision (else {@link ClientChangedError}), atomically.
   */
  update(clientId: string, metadata: Omit<ClientMetadata, 'client_id'>, ifRevision?: string): Promise<ShownClient>;
  /** A new secret, returned once; the previous one keeps working for `graceSeconds`. */
  rotateSecret(clientId: string, graceSeconds: number): Promise<{ secret: string; previousValidUntil?: number }>;
  /** Deletes the client; false when there is none. With `ifRevision`, as `update`. */
  remove(clientId: string, ifRevision?: string): Promise<boolean>;
  /** Gives a confidential client a new generated secret (returned once); the old one stops working. Undefined: no such client. */
  resetSecret(clientId: string): Promise<string | undefined>;
}
