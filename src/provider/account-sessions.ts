import type { Cluster, Redis } from 'ioredis';
import type { AdapterConstructor, AdapterFactory, Provider } from 'oidc-provider';

import type { Logger } from '../observability/logger.ts';
import type { AccountGrants } from './account-grants.ts';
import { openAdapter } from './open-adapter.ts';

/** One browser session of a user, as an operator sees it. */
export interface AccountSession {
  /** The session's `uid`: stable for its life, and not the cookie's value (which only the browser holds). */
  readonly session_id: string;
  /** Seconds since the epoch. */
  readonly signed_in_at: number;
  readonly expires_at: number;
  /** The clients signed in through it, with the grant each holds (null: none yet). */
  readonly clients: readonly { readonly client_id: string; readonly grant_id: string | null }[];
}

/** The browser sessions of each account, indexed as the engine saves and destroys them. */
export interface AccountSessions {
  /** Keeps the index of one engine's sessions (every engine built on key changes is tracked). */
  track(provider: Provider): void;
  /** The account's live sessions, oldest sign-in first. */
  list(accountId: string): Promise<AccountSession[]>;
  /** Destroys a session of the account (its browser must sign in again) and revokes its grants; false when it has no such session. */
  end(accountId: string, sessionId: string): Promise<boolean>;
  /** Ends every session of the account; how many. */
  endAll(accountId: string): Promise<number>;
}

/** What the engine's `Session` model stores (oidc-provider lib/models/session.js IN_PAYLOAD). */
interface SessionRecord {
  jti?: string;
  uid?: string;
  accountId?: string;
  loginTs?: number;
  exp?: number;
  authorizations?: Record<string, { grantId?: string }>;
}

/**
 * Account → session index in `<prefix>{account-sessions:<accountId>}`: a sorted set of session
 * uids by expiry, expiring with its last session. The engine gives a session a new id (jti) at
 * every sign-in but keeps its uid, and destroys the old record itself, so members are looked up
 * by uid and those whose record is gone or another account's are left out.
 */
export function createAccountSessions({
  redis,
  prefix,
  adapter,
  grants,
  logger,
}: {
  redis: Redis | Cluster;
  prefix: string;
  adapter: AdapterConstructor | AdapterFactory;
  logger: Logger;
  /** Revokes the grants of an ended session through the revocation path of the grants area. */
  grants: Pick<AccountGrants, 'revoke'>;
}): AccountSessions {
  const key = (accountId: string): string => `${prefix}{account-sessions:${accountId}}`;
  const sessions = openAdapter(adapter, 'Session');
  const now = (): number => Math.floor(Date.now() / 1000);
  const failed = (err: Error) => logger.warn({ event: 'account_sessions.index_failed', err: { message: err.message } }, 'session not indexed');
  const find = async (accountId: string, uid: string): Promise<SessionRecord | undefined> => {
    const record = (await sessions.findByUid(uid)) as SessionRecord | undefined;
    return record?.accountId === accountId && record.jti ? record : undefined;
  };
  const api: AccountSessions = {
    track(provider) {
      provider.on('session.saved', (session: SessionRecord) => {
        if (!session.accountId || !session.uid || !session.exp) return;
        const index = key(session.accountId);
        // A new index has no expiry for GT to compare with, so NX gives it the session's first.
        redis
          .multi()
          .zadd(index, session.exp, session.uid)
          .zremrangebyscore(index, '-inf', now())
          .expireat(index, session.exp, 'NX')
          .expireat(index, session.exp, 'GT')
          .exec()
          .catch(failed);
      });
      provider.on('session.destroyed', (session: SessionRecord) => {
        if (session.accountId && session.uid) redis.zrem(key(session.accountId), session.uid).catch(failed);
      });
    },
    async list(accountId) {
      const uids = await redis.zrangebyscore(key(accountId), now(), '+inf');
      const found = await Promise.all(uids.map((uid) => find(accountId, uid)));
      return found
        .filter((r) => r !== undefined)
        .map((r) => ({
          session_id: r.uid!,
          signed_in_at: r.loginTs ?? 0,
          expires_at: r.exp ?? 0,
          clients: Object.entries(r.authorizations ?? {})
            .map(([clientId, a]) => ({ client_id: clientId, grant_id: a.grantId ?? null }))
            .sort((a, b) => (a.client_id < b.client_id ? -1 : 1)),
        }))
        .sort((a, b) => a.signed_in_at - b.signed_in_at || (a.session_id < b.session_id ? -1 : 1));
    },
    async end(accountId, sessionId) {
      const record = await find(accountId, sessionId);
      if (!record) return false;
      // The session first, so its browser gets no new grant from it while its grants are revoked.
      await sessions.destroy(record.jti!);
      for (const { grantId } of Object.values(record.authorizations ?? {})) if (grantId) await grants.revoke(accountId, grantId);
      await redis.zrem(key(accountId), sessionId);
      return true;
    },
    async endAll(accountId) {
      const live = await api.list(accountId);
      for (const session of live) await api.end(accountId, session.session_id);
      return live.length;
    },
  };
  return api;
}
