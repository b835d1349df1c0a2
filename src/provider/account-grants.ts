import type { Cluster, Redis } from 'ioredis';
import type { AdapterConstructor, AdapterFactory, Provider } from 'oidc-provider';

import type { Logger } from '../observability/logger.ts';
import { openAdapter } from './open-adapter.ts';

/** One grant of a user to a client, as an operator sees it. */
export interface AccountGrant {
  readonly grant_id: string;
  readonly client_id: string;
  /** The OpenID scope granted, and the scope per resource server. */
  readonly scope: string;
  readonly resources: Record<string, string>;
  /** Seconds since the epoch. */
  readonly issued_at: number;
  readonly expires_at: number;
}

/** The grants of each account, indexed as the engine saves them (`grant.saved`). */
export interface AccountGrants {
  /** Keeps the index of one engine's grants (every engine built on key changes is tracked). */
  track(provider: Provider): void;
  /** The account's live grants, oldest first. */
  list(accountId: string): Promise<AccountGrant[]>;
  /** Ends a grant of the account (with every refresh token and code of it); false when it has no such grant. */
  revoke(accountId: string, grantId: string): Promise<boolean>;
  /** Ends every grant of the account; how many. */
  revokeAll(accountId: string): Promise<number>;
}

interface GrantRecord {
  accountId?: string;
  clientId?: string;
  openid?: { scope?: string };
  resources?: Record<string, string>;
  iat?: number;
  exp?: number;
}

/** Account → grant index in `<prefix>{account-grants:<accountId>}` (a sorted set by expiry, expiring with its last grant). */
export function createAccountGrants({
  redis,
  prefix,
  adapter,
  logger,
  onRevoke,
}: {
  redis: Redis | Cluster;
  prefix: string;
  adapter: AdapterConstructor | AdapterFactory;
  logger: Logger;
  /** Told of every grant revoked here, so its access tokens end at the resource servers too. */
  onRevoke?: ((grantId: string) => Promise<void>) | undefined;
}): AccountGrants {
  const key = (accountId: string): string => `${prefix}{account-grants:${accountId}}`;
  const grants = openAdapter(adapter, 'Grant');
  const find = async (grantId: string) => (await grants.find(grantId)) as GrantRecord | undefined;
  const now = (): number => Math.floor(Date.now() / 1000);
  const api: AccountGrants = {
    track(provider) {
      provider.on('grant.saved', (grant: { jti: string; accountId?: string; exp?: number; expiration?: number }) => {
        // The engine works `exp` out into the stored payload only; the instance has its lifetime.
        const exp = grant.exp ?? (grant.expiration ? now() + grant.expiration : undefined);
        if (!grant.accountId || !exp) return;
        const index = key(grant.accountId);
        // A new index has no expiry for GT to compare with, so NX gives it the grant's first.
        redis
          .multi()
          .zadd(index, exp, grant.jti)
          .zremrangebyscore(index, '-inf', now())
          .expireat(index, exp, 'NX')
          .expireat(index, exp, 'GT')
          .exec()
          .catch((err: Error) => logger.warn({ event: 'account_grants.index_failed', err: { message: err.message } }, 'grant not indexed'));
      });
    },
    async list(accountId) {
      const ids = await redis.zrangebyscore(key(accountId), now(), '+inf');
      const found = await Promise.all(ids.map(async (id) => ({ id, record: await find(id) })));
      return found
        .filter(({ record }) => record?.accountId === accountId)
        .map(({ id, record }) => ({
          grant_id: id,
          client_id: record!.clientId ?? '',
          scope: record!.openid?.scope ?? '',
          resources: record!.resources ?? {},
          issued_at: record!.iat ?? 0,
          expires_at: record!.exp ?? 0,
        }))
        .sort((a, b) => a.issued_at - b.issued_at || (a.grant_id < b.grant_id ? -1 : 1));
    },
    async revoke(accountId, grantId) {
      const record = await find(grantId);
      if (record?.accountId !== accountId) return false;
      // The whole family (grant, codes, refresh and access tokens kept in the store) in one round trip.
      await grants.revokeByGrantId!(grantId);
      await onRevoke?.(grantId);
      await redis.zrem(key(accountId), grantId);
      return true;
    },
    async revokeAll(accountId) {
      const live = await api.list(accountId);
      for (const grant of live) await api.revoke(accountId, grant.grant_id);
      await redis.del(key(accountId));
      return live.length;
    },
  };
  return api;
}
