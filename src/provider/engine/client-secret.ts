// Fenced: how the engine checks a client secret is not a promised interface. oidc-provider
// authenticates `client_secret_basic` and `client_secret_post` by calling
// `client.compareClientSecret(presented)` (lib/shared/client_auth.js) and refuses to load such a
// client without a `client_secret`. Tessera keeps only a hash, so the engine is given a random
// stand-in secret (known to no one: if the check below were lost, every secret would fail, never
// pass) and the comparison is replaced by one against the hash. test/engine/client-secret.test.ts
// guards both seams.
import { randomBytes } from 'node:crypto';

import type { AdapterConstructor, AdapterFactory, AdapterPayload, Provider } from 'oidc-provider';

import { verifyClientSecret } from '../client-secret-hash.ts';
import { openAdapter } from '../open-adapter.ts';

/** The previous secret of a rotated client, accepted until `expires_at` (epoch seconds). */
export interface SecretGrace {
  readonly hash: string;
  readonly expires_at: number;
}

interface HashedSecretFields {
  client_secret_hash?: string;
  client_secret_grace?: SecretGrace;
}

const STAND_IN = randomBytes(32).toString('base64url');

/** Client metadata as the engine must see it: a hashed client gets the stand-in secret. */
export function engineClientMetadata<T extends HashedSecretFields & { client_secret?: string }>(metadata: T): T {
  return metadata.client_secret_hash ? { ...metadata, client_secret: STAND_IN } : metadata;
}

/** Whether `presented` matches the client's hash, or its previous hash within the grace period. */
export function matchesHashedSecret(client: HashedSecretFields, presented: string, now = Date.now() / 1000): boolean {
  const current = verifyClientSecret(client.client_secret_hash!, presented);
  const grace = client.client_secret_grace;
  const previous = grace !== undefined && now < grace.expires_at && verifyClientSecret(grace.hash, presented);
  return current || previous;
}

type Compare = (this: HashedSecretFields & { clientSecret?: string }, presented: string) => Promise<boolean> | boolean;

/** Makes the engine compare presented secrets of hashed clients against their hash. */
export function checkHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as { compareClientSecret: Compare };
  const original = prototype.compareClientSecret;
  if (typeof original !== 'function') throw new Error('oidc-provider: Client#compareClientSecret is gone; hashed client secrets cannot be checked');
  prototype.compareClientSecret = function compareClientSecret(presented) {
    if (this.client_secret_hash) return matchesHashedSecret(this, presented);
    return original.call(this, presented);
  };
}

/** The adapter with stored clients handed to the engine through {@link engineClientMetadata}. */
export function hashedClientAdapter(adapter: AdapterConstructor | AdapterFactory): AdapterFactory {
  return (name) => {
    const inner = openAdapter(adapter, name);
    if (name !== 'Client') return inner;
    return new Proxy(inner, {
      get(target, key, receiver) {
        if (key !== 'find') return Reflect.get(target, key, receiver) as unknown;
        return async (id: string) => {
          const found = await target.find(id);
          return found ? engineClientMetadata(found as AdapterPayload & HashedSecretFields) : found;
        };
      },
    });
  };
}
