import type { Client, Provider, ResourceServer as EngineResourceServer } from 'oidc-provider';

import { TOKEN_EXCHANGE_GRANT } from '../config/schema.ts';
import type { ActClaim } from './presented-token.ts';

/** What the exchanged token says. */
export interface ExchangedTokenSpec {
  readonly client: Client;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly expiresIn: number;
  readonly act?: ActClaim | undefined;
  /** The target, always in JWT format: the token must verify offline wherever it goes. */
  readonly indicator: string;
  readonly resourceServer: EngineResourceServer;
}

/**
 * Issues the exchanged token through the engine's own AccessToken model, so it is an RFC 9068
 * JWT (`typ: at+jwt`) signed like every other access token, with `client_id` the exchanging
 * client, `sub` the subject token's and `act` (kept by Tessera's extraTokenClaims for this grant).
 */
export async function issueExchangedToken(provider: Provider, spec: ExchangedTokenSpec): Promise<{ value: string; expiresIn: number }> {
  const token = new provider.AccessToken({
    client: spec.client,
    accountId: spec.sub,
    // No grant: the token is a JWT that is never stored, so nothing revokes it by grant (like any JWT access token).
    grantId: '',
    gty: TOKEN_EXCHANGE_GRANT,
    scope: spec.scopes.join(' '),
    expiresIn: spec.expiresIn,
    resourceServer: new provider.ResourceServer(spec.indicator, spec.resourceServer),
    ...(spec.act ? { extra: { act: spec.act } } : {}),
  });
  const value = await token.save();
  return { value, expiresIn: token.expiration };
}
