import type { Client, Provider, ResourceServer as EngineResourceServer } from 'oidc-provider';

import { TOKEN_EXCHANGE_GRANT } from '../config/grant-types.ts';
import { NO_GRANT } from '../provider/engine/no-grant.ts';
import type { ActClaim } from './presented-token.ts';

/** What the exchanged token says. */
export interface ExchangedTokenSpec {
  readonly client: Client;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly expiresIn: number;
  readonly act?: ActClaim | undefined;
  /** The subject token's grant: ending it ends the exchanged token too. */
  readonly grant_ref?: string | undefined;
  /** The target, always in JWT format: the token must verify offline wherever it goes. */
  readonly indicator: string;
  readonly resourceServer: EngineResourceServer;
}

/**
 * Issues the exchanged token through the engine's own AccessToken model, so it is an RFC 9068
 * JWT (`typ: at+jwt`) signed like every other access token, with `client_id` the exchanging
 * client, `sub` the subject token's, and `act` and `grant_ref` (kept by Tessera's extraTokenClaims for this grant).
 */
export async function issueExchangedToken(provider: Provider, spec: ExchangedTokenSpec): Promise<{ value: string; expiresIn: number }> {
  const token = new provider.AccessToken({
    client: spec.client,
    accountId: spec.sub,
    // No grant of its own: it is tied to its subject token's grant by `grant_ref` (src/revocation).
    grantId: NO_GRANT,
    gty: TOKEN_EXCHANGE_GRANT,
    scope: spec.scopes.join(' '),
    expiresIn: spec.expiresIn,
    resourceServer: new provider.ResourceServer(spec.indicator, spec.resourceServer),
    ...(spec.act || spec.grant_ref ? { extra: { ...(spec.act ? { act: spec.act } : {}), ...(spec.grant_ref ? { grant_ref: spec.grant_ref } : {}) } } : {}),
  });
  const value = await token.save();
  return { value, expiresIn: token.expiration };
}
