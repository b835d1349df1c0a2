import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';

import { memoryAdapter } from './memory-adapter.ts';

/** The store model of the records; a name of Tessera's, never one of the engine's token models. */
export const ACCESS_TOKEN_GRANT_MODEL = 'AccessTokenGrant';

/** What Tessera keeps of a JWT access token issued on a grant: the token itself is never stored. */
export interface AccessTokenGrant {
  /** The grant the token was issued on (kept under `grant`, not `grantId`: see below). */
  readonly grant: string;
  readonly accountId: string;
  /** The OpenID scopes granted with the token (`openid profile email`…), answered at userinfo. */
  readonly scope: string;
}

/** Records of the grant each JWT access token was issued on, by the token's `jti`. */
export interface AccessTokenGrants {
  remember(jti: string, record: AccessTokenGrant, ttl: number): Promise<void>;
  find(jti: string): Promise<AccessTokenGrant | undefined>;
}

/** An adapter of the store for one model name, as the engine makes its own. */
export function modelAdapter(adapter: AdapterConstructor | AdapterFactory | undefined, model: string): Adapter {
  const store = adapter ?? memoryAdapter();
  return 'prototype' in store && store.prototype ? new (store as AdapterConstructor)(model) : (store as AdapterFactory)(model);
}

/**
 * The records in the engine's store (Redis, or memory for a single instance), living as long as
 * the token. A record is deliberately not a member of its grant family: revoking the grant
 * removes the grant but leaves the record, so a token of a revoked grant is still known to have
 * had one and is refused, instead of passing for a token issued without a grant
 * (client_credentials, token exchange).
 */
export function createAccessTokenGrants(adapter: AdapterConstructor | AdapterFactory | undefined): AccessTokenGrants {
  const store = modelAdapter(adapter, ACCESS_TOKEN_GRANT_MODEL);
  return {
    async remember(jti, record, ttl) {
      await store.upsert(jti, { ...record }, ttl);
    },
    async find(jti) {
      const found = (await store.find(jti)) as Partial<AccessTokenGrant> | undefined;
      if (!found || typeof found.grant !== 'string' || typeof found.accountId !== 'string') return undefined;
      return { grant: found.grant, accountId: found.accountId, scope: typeof found.scope === 'string' ? found.scope : '' };
    },
  };
}
