import type { TokenExchangePolicy } from '../config/token-exchange-policy-schema.ts';
import type { PresentedToken } from './presented-token.ts';

/** The part of a resource server the policy needs. */
export interface ExchangeAudience {
  readonly audience: string;
  readonly indicator: string;
  readonly scopes: readonly string[];
  readonly accessTokenTTL: number;
}

/** What the client asked for: one target, by `audience` or by `resource`, and optionally a scope. */
export interface ExchangeAsk {
  readonly audience?: string | undefined;
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
}

/** The token to issue, or the OAuth error to refuse with. */
export type ExchangeDecision =
  | { readonly ok: true; readonly server: ExchangeAudience; readonly scopes: readonly string[]; readonly expiresIn: number }
  | { readonly ok: false; readonly error: 'invalid_request' | 'invalid_target' | 'invalid_scope' | 'invalid_grant'; readonly description: string };

function refuse(error: Exclude<ExchangeDecision, { ok: true }>['error'], description: string): ExchangeDecision {
  return { ok: false, error, description };
}

function findTarget(ask: ExchangeAsk, servers: readonly ExchangeAudience[]): ExchangeAudience | ExchangeDecision {
  if (ask.audience === undefined && ask.resource === undefined) return refuse('invalid_request', 'an audience or a resource is required');
  const server = servers.find(
    (rs) => (ask.resource === undefined || rs.indicator === ask.resource) && (ask.audience === undefined || rs.audience === ask.audience),
  );
  if (!server) return refuse('invalid_target', `no resource server is ${ask.audience ?? ask.resource}`);
  return server;
}

/**
 * Decides an exchange: the target must be one of the client's policy targets; the issued scope
 * is the requested one (or, if none was requested, all that is allowed) and must lie within
 * the subject token's scope, the policy's scope for the target and the target's scopes; the
 * lifetime is the target's access-token lifetime, cut to what remains of the subject token's.
 *
 * @example
 * ```ts
 * decideExchange({ policy, servers, subject, ask: { audience: 'payments', scope: 'payments' }, now });
 * // { ok: true, server: { audience: 'payments', … }, scopes: ['payments'], expiresIn: 300 }
 * ```
 */
export function decideExchange({
  policy,
  servers,
  subject,
  ask,
  now,
}: {
  policy: TokenExchangePolicy;
  servers: readonly ExchangeAudience[];
  subject: Pick<PresentedToken, 'scopes' | 'audiences' | 'exp'>;
  ask: ExchangeAsk;
  now: number;
}): ExchangeDecision {
  const found = findTarget(ask, servers);
  if ('ok' in found) return found;
  const target = policy.targets.find((t) => t.audience === found.audience);
  if (!target) return refuse('invalid_target', `this client may not exchange tokens for audience ${found.audience}`);
  if (policy.subject_audiences && !subject.audiences.some((aud) => policy.subject_audiences!.includes(aud))) {
    return refuse('invalid_grant', 'the subject_token is not for an audience this client may exchange tokens of');
  }

  const allowed = subject.scopes.filter((s) => target.scope.includes(s) && found.scopes.includes(s));
  const requested = ask.scope === undefined ? allowed : [...new Set(ask.scope.split(' ').filter(Boolean))];
  const beyond = requested.filter((s) => !allowed.includes(s));
  if (beyond.length) return refuse('invalid_scope', `scope ${beyond.join(' ')} is not allowed for audience ${found.audience}`);
  if (!requested.length) return refuse('invalid_scope', `the subject_token carries no scope allowed for audience ${found.audience}`);

  const remaining = subject.exp - now;
  if (remaining <= 0) return refuse('invalid_grant', 'the subject_token has expired');
  return { ok: true, server: found, scopes: requested, expiresIn: Math.min(found.accessTokenTTL, remaining) };
}
