import { errors } from 'oidc-provider';
import type { Client } from 'oidc-provider';

import type { TokenExchangePolicy } from '../config/token-exchange-policy-schema.ts';
import type { Actor } from './act-claim.ts';
import type { ExchangeRequest } from './exchange-request.ts';
import { invalidGrant } from './invalid-grant.ts';
import type { PresentedToken } from './presented-token.ts';
import type { PresentedTokenReader } from './read-presented-token.ts';

/** The client as an actor: `sub` and `client_id` are its client_id. */
export function clientActor(client: Client): Actor {
  return { sub: client.clientId, claims: { sub: client.clientId, client_id: client.clientId } };
}

/**
 * Whether the client `clientId` may present `token` as its actor_token: the token must be a
 * client's own (`sub` its `client_id`, as client_credentials gives it, so never a user's token)
 * and that client must be this one or one its policy names in `actors`. Any other token of this issuer that the
 * client holds — one another service sent it, the subject token itself — says nothing about who
 * acts, and taking it would let the client name someone else, or the user, as the actor.
 */
export function mayPresentActor(clientId: string, policy: Pick<TokenExchangePolicy, 'actors'>, token: Pick<PresentedToken, 'sub' | 'client_id'>): boolean {
  return token.sub === token.client_id && (token.sub === clientId || (policy.actors ?? []).includes(token.sub));
}

/**
 * Who acts in this exchange, for the `act` claim: the subject of `actor_token` when one is
 * given (see {@link mayPresentActor}), else the client itself, since it is the party that calls
 * the target with the token. A client whose policy has `delegation: false` impersonates (no
 * actor) and may not send an `actor_token`.
 */
export async function exchangeActor(
  client: Client,
  policy: TokenExchangePolicy,
  request: ExchangeRequest,
  read: PresentedTokenReader,
): Promise<Actor | undefined> {
  if (!policy.delegation) {
    if (request.actor) throw new errors.InvalidRequest('this client may not act as a delegate: actor_token is not allowed');
    return undefined;
  }
  if (!request.actor) return clientActor(client);
  const token = await read(request.actor.token, request.actor.type, 'actor_token');
  if (!mayPresentActor(client.clientId, policy, token)) {
    throw invalidGrant("the actor_token must be this client's own token or that of an actor its token_exchange policy names");
  }
  return { sub: token.sub, claims: { sub: token.sub, client_id: token.client_id } };
}
