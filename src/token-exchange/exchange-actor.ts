import { errors } from 'oidc-provider';
import type { Client } from 'oidc-provider';

import type { TokenExchangePolicy } from '../config/schema.ts';
import type { Actor } from './act-claim.ts';
import type { ExchangeRequest } from './exchange-request.ts';
import type { PresentedTokenReader } from './read-presented-token.ts';

/** The client as an actor: `sub` and `client_id` are its client_id. */
export function clientActor(client: Client): Actor {
  return { sub: client.clientId, claims: { sub: client.clientId, client_id: client.clientId } };
}

/**
 * Who acts in this exchange, for the `act` claim: the subject of `actor_token` when one is
 * given, else the client itself, since it is the party that calls the target with the token.
 * A client whose policy has `delegation: false` impersonates (no actor) and may not send an
 * `actor_token`.
 */
export async function exchangeActor(client: Client, policy: TokenExchangePolicy, request: ExchangeRequest,
  read: PresentedTokenReader): Promise<Actor | undefined> {
  if (!policy.delegation) {
    if (request.actor) throw new errors.InvalidRequest('this client may not act as a delegate: actor_token is not allowed');
    return undefined;
  }
  if (!request.actor) return clientActor(client);
  const token = await read(request.actor.token, request.actor.type, 'actor_token');
  return { sub: token.sub, claims: { sub: token.sub, client_id: token.client_id } };
}
