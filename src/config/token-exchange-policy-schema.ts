import { z } from 'zod';

import { list } from './value-kinds.ts';

/** An audience a client may obtain tokens for by token exchange, and the largest scope there. */
export const exchangeTargetSchema = z
  .object({
    /** `aud` of a configured resource server (ACCESS_TOKEN_AUDIENCE or a `resourceServers` entry). */
    audience: z.string().min(1, 'must name a resource server audience'),
    /** The largest scope an exchanged token for this audience may carry. */
    scope: list.pipe(z.array(z.string()).min(1, 'must name at least one scope')),
  })
  .strict();

/**
 * Client metadata `token_exchange`: what the client may obtain by token exchange (RFC 8693).
 * A client without it may not use the grant (`unauthorized_client`).
 */
export const tokenExchangePolicySchema = z
  .object({
    /** The audiences the client may request, each with the largest scope it may get there. */
    targets: z.array(exchangeTargetSchema).min(1, 'must name at least one target'),
    /**
     * Whether the client acts as a delegate: issued tokens carry `act` naming the actor (the
     * client itself, or the subject of `actor_token`). `false`: no `act` (impersonation), and
     * `actor_token` is refused. Default true.
     */
    delegation: z.boolean({ message: 'must be true or false' }).default(true),
    /** Audiences a subject token must carry (one of them) for this client to exchange it; default any of Tessera's. */
    subject_audiences: z.array(z.string().min(1)).min(1, 'must name at least one audience').optional(),
    /**
     * Other clients whose own tokens (`sub` their client_id, as client_credentials issues them)
     * this client may present as `actor_token`, making them `act.sub`; its own tokens it always
     * may. Default none. Not with `delegation: false`.
     */
    actors: z.array(z.string().min(1, 'must be a client_id')).min(1, 'must name at least one client').optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.actors && !policy.delegation) {
      ctx.addIssue({ code: 'custom', path: ['actors'], message: 'must not be given with delegation false (a client that impersonates names no actor)' });
    }
  });

export type TokenExchangePolicy = z.infer<typeof tokenExchangePolicySchema>;
export type ExchangeTarget = z.infer<typeof exchangeTargetSchema>;
