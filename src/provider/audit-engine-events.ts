import type { EventEmitter } from 'node:events';

import type { Provider } from 'oidc-provider';

import type { AuditActor } from '../observability/audit-catalogue.ts';
import type { Audit } from '../observability/audit-log.ts';

/** What the engine's events carry that the audit needs (its context, as far as promised by its events documentation). */
interface EngineContext {
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly state?: { requestId?: string };
  readonly status?: number;
  readonly oidc?: {
    readonly route?: string;
    readonly params?: Record<string, unknown>;
    readonly client?: { clientId: string };
    readonly session?: { accountId?: string; uid?: string };
    readonly entities?: Record<string, { grantId?: string; jti?: string; accountId?: string; kind?: string } | undefined>;
  };
}

type EngineError = Error & { error?: string; error_detail?: string };

const ERROR_EVENTS = [
  'grant.error',
  'introspection.error',
  'revocation.error',
  'userinfo.error',
  'pushed_authorization_request.error',
  'end_session.error',
  'backchannel_authentication.error',
  'device_authorization.error',
  'registration_read.error',
];
const REVOKED_KINDS = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken']);

/** The client a request names: the one it authenticated as, else its client_id parameter or the user of its Basic header. */
function clientOf(ctx: EngineContext): string | undefined {
  if (ctx.oidc?.client) return ctx.oidc.client.clientId;
  const param = ctx.oidc?.params?.client_id;
  if (typeof param === 'string' && param) return param;
  const header = ctx.headers?.authorization;
  const basic = typeof header === 'string' && /^basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!basic) return undefined;
  const user = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0];
  try {
    return user ? decodeURIComponent(user.replace(/\+/g, ' ')) : undefined;
  } catch {
    return undefined;
  }
}

const actorOf = (ctx: EngineContext): AuditActor => {
  const clientId = clientOf(ctx);
  return clientId ? `client:${clientId}` : 'anonymous';
};

const REASONS: Record<string, 'revocation' | 'refresh_token_reuse' | 'logout' | 'code_reuse'> = {
  revocation: 'revocation',
  token: 'refresh_token_reuse',
  end_session_confirm: 'logout',
  end_session: 'logout',
};

/**
 * Audit events from the engine's own events: sign-out (`end_session.success`), the end of a
 * grant (`grant.revoked`), a rotated refresh token presented again (`grant.error` with the
 * engine's "refresh token already used"), client authentication failures (`invalid_client` of
 * any endpoint) and RFC 7009 revocations of tokens the engine stores.
 */
export function auditEngineEvents(provider: Provider, audit: Audit): void {
  const emitter: EventEmitter = provider;
  emitter.on('end_session.success', (ctx: EngineContext) => {
    const sub = ctx.oidc?.session?.accountId;
    const clientId = ctx.oidc?.client?.clientId;
    audit({
      event: 'logout',
      actor: sub ? `user:${sub}` : 'anonymous',
      target: clientId ? `client:${clientId}` : 'session',
      outcome: 'success',
      requestId: ctx.state?.requestId,
      sid: ctx.oidc?.session?.uid,
    });
  });
  emitter.on('grant.revoked', (ctx: EngineContext, grantId: string) => {
    const route = ctx.oidc?.route ?? '';
    const codeReuse = route === 'token' && ctx.oidc?.params?.grant_type === 'authorization_code';
    const sub = ctx.oidc?.session?.accountId;
    audit({
      event: 'grant.revoked',
      actor: REASONS[route] === 'logout' && sub ? `user:${sub}` : actorOf(ctx),
      target: `grant:${grantId}`,
      outcome: 'success',
      requestId: ctx.state?.requestId,
      reason: codeReuse ? 'code_reuse' : (REASONS[route] ?? 'other'),
    });
  });
  for (const name of ERROR_EVENTS) {
    emitter.on(name, (ctx: EngineContext, err: EngineError) => {
      if (err.error === 'invalid_client') {
        audit({
          event: 'client.auth_failed',
          actor: actorOf(ctx),
          target: `endpoint:${ctx.oidc?.route ?? name.split('.')[0]}`,
          outcome: 'failure',
          requestId: ctx.state?.requestId,
          endpoint: ctx.oidc?.route ?? name.split('.')[0]!,
          reason: err.error_detail ?? err.message,
        });
      } else if (name === 'grant.error' && err.error === 'invalid_grant' && err.error_detail === 'refresh token already used') {
        const grantId = ctx.oidc?.entities?.RefreshToken?.grantId ?? ctx.oidc?.entities?.Grant?.jti;
        audit({
          event: 'refresh_token.reused',
          actor: actorOf(ctx),
          target: grantId ? `grant:${grantId}` : 'grant',
          outcome: 'refused',
          requestId: ctx.state?.requestId,
          sub: ctx.oidc?.entities?.Account?.accountId,
        });
      }
    });
  }
  provider.use(async (ctx, next) => {
    await next();
    const engine = ctx as unknown as EngineContext;
    if (engine.oidc?.route !== 'revocation' || ctx.status !== 200) return;
    const token = Object.entries(engine.oidc.entities ?? {}).find(([kind]) => REVOKED_KINDS.has(kind));
    if (!token) return;
    const [kind, entity] = token;
    // An opaque token's jti is its value: the target names its grant, or only its kind.
    audit({
      event: 'token.revoked',
      actor: actorOf(engine),
      target: entity?.grantId ? `grant:${entity.grantId}` : `token:${kind}`,
      outcome: 'success',
      requestId: engine.state?.requestId,
      kind,
    });
  });
}
