import { errors } from 'oidc-provider';
import type { Client, Provider, ResourceServer as EngineResourceServer } from 'oidc-provider';

import type { Config } from '../config/load-config.ts';
import { TOKEN_EXCHANGE_GRANT } from '../config/grant-types.ts';
import type { TokenExchangePolicy } from '../config/token-exchange-policy-schema.ts';
import type { KeySet } from '../keys/load-keys.ts';
import type { ExchangeMetrics } from '../observability/exchange-metrics.ts';
import type { Audit } from '../observability/audit-log.ts';
import { noTracing } from '../observability/tracing.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { letGrantTypeThrough } from '../provider/engine/grant-type-allowed.ts';
import { actClaim, mayAct } from './act-claim.ts';
import { auditExchange } from './audit-event.ts';
import type { ExchangeAudit } from './audit-event.ts';
import { clientActor, exchangeActor } from './exchange-actor.ts';
import { decideExchange } from './exchange-policy.ts';
import type { ExchangeDecision } from './exchange-policy.ts';
import { EXCHANGE_PARAMETERS, readExchangeRequest } from './exchange-request.ts';
import { invalidGrant } from './invalid-grant.ts';
import { issueExchangedToken } from './issue-exchanged-token.ts';
import { createPresentedTokenReader } from './read-presented-token.ts';
import { refuseRevoked } from './refuse-revoked.ts';

interface EngineError {
  readonly expose?: boolean;
  readonly error?: string;
  readonly error_description?: string;
}

/** The client's `token_exchange` metadata, when it may use the grant at all. */
function policyOf(client: Client): TokenExchangePolicy | undefined {
  const policy = (client as unknown as { token_exchange?: TokenExchangePolicy }).token_exchange;
  return policy && client.grantTypes?.includes(TOKEN_EXCHANGE_GRANT) ? policy : undefined;
}

function refusal(decision: Exclude<ExchangeDecision, { ok: true }>): Error {
  switch (decision.error) {
    case 'invalid_request':
      return new errors.InvalidRequest(decision.description);
    case 'invalid_target':
      return new errors.InvalidTarget(decision.description);
    // Without a `scope` the answer carries no scope member, only the description.
    case 'invalid_scope':
      return new errors.InvalidScope(decision.description, undefined as unknown as string);
    default:
      return invalidGrant(decision.description);
  }
}

/**
 * Registers the RFC 8693 token-exchange grant on the engine. Whether a client may use it is
 * decided by its `token_exchange` policy, answering `unauthorized_client` (RFC 6749 §5.2) to a
 * client without one; every exchange, issued or refused, is logged without token values.
 */
export function registerTokenExchange(
  provider: Provider,
  {
    config,
    keys,
    jwtServers,
    audit: write,
    revocations,
    tracing = noTracing,
    metrics,
  }: {
    config: Config;
    keys: KeySet;
    audit: Audit;
    /** Per resource indicator, the resource server as the engine takes it, issuing JWTs (src/provider/engine-resource-server.ts). */
    jwtServers: ReadonlyMap<string, EngineResourceServer>;
    revocations?: Pick<Revocations, 'isRevoked'> | undefined;
    tracing?: Tracing | undefined;
    metrics?: ExchangeMetrics | undefined;
  },
): void {
  const read = refuseRevoked(createPresentedTokenReader({ provider, keys }), revocations);

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx) => {
      const { client, params } = ctx.oidc;
      const audit: { -readonly [K in keyof ExchangeAudit]: ExchangeAudit[K] } = {
        requestId: (ctx.state as { requestId?: string }).requestId,
        client_id: client.clientId,
        outcome: 'refused',
      };
      try {
        const policy = policyOf(client);
        if (!policy) throw new errors.UnauthorizedClient('this client may not use the token-exchange grant');
        const request = readExchangeRequest(params);
        Object.assign(audit, { audience: request.audience, resource: request.resource, scope: request.scope });
        const { subject, actor } = await tracing.span('token_exchange.verify', async () => {
          const presented = await read(request.subjectToken, request.subjectTokenType, 'subject_token');
          audit.sub = presented.sub;
          return { subject: presented, actor: await exchangeActor(client, policy, request, read) };
        });
        const verdict = mayAct(subject, actor ?? clientActor(client));
        if (verdict === 'malformed') throw invalidGrant("the subject_token's may_act claim is not an object");
        if (verdict === 'refused') throw invalidGrant('the subject_token does not allow this actor (may_act)');
        const decision = decideExchange({ policy, servers: config.resourceServers, subject, ask: request, now: Math.floor(Date.now() / 1000) });
        if (!decision.ok) throw refusal(decision);

        // An impersonating client still keeps the subject token's chain of earlier actors.
        const act = actor ? actClaim(actor, subject.act) : subject.act;
        const issued = await tracing.span(
          'token_exchange.issue',
          () =>
            issueExchangedToken(provider, {
              client,
              sub: subject.sub,
              scopes: decision.scopes,
              expiresIn: decision.expiresIn,
              act,
              grant_ref: subject.grant_ref,
              indicator: decision.server.indicator,
              resourceServer: jwtServers.get(decision.server.indicator)!,
            }),
          { 'tessera.audience': decision.server.audience },
        );
        const scope = decision.scopes.join(' ');
        Object.assign(audit, { outcome: 'issued', act, audience: decision.server.audience, resource: undefined, scope, expires_in: issued.expiresIn });
        ctx.body = { access_token: issued.value, issued_token_type: request.issuedTokenType, token_type: 'Bearer', expires_in: issued.expiresIn, scope };
      } catch (err) {
        const { expose, error, error_description: description } = err as EngineError;
        if (expose) Object.assign(audit, { error, error_description: description });
        else Object.assign(audit, { error: 'server_error' });
        throw err;
      } finally {
        auditExchange(write, audit, metrics);
      }
    },
    [...EXCHANGE_PARAMETERS],
  );

  // The engine answers `invalid_request` to a client whose grant_types lack a grant; RFC 6749
  // §5.2 says `unauthorized_client`. Letting this one grant through to its handler lets the
  // handler refuse it with the right code, from the client's policy.
  letGrantTypeThrough(provider, TOKEN_EXCHANGE_GRANT);
}
