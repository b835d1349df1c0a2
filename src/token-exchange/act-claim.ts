import type { ActClaim, PresentedToken } from './presented-token.ts';

/** The party acting in an exchange: the client itself, or the subject of the actor token. */
export interface Actor {
  readonly sub: string;
  /** Claims of the actor that a `may_act` claim may name (`sub`, `client_id`, …). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * The `act` claim of an exchanged token: the current actor, with the subject token's own `act`
 * (the earlier actors) nested inside it, so the chain of delegation is kept (RFC 8693 §4.1).
 *
 * @example
 * ```ts
 * actClaim({ sub: 'payments-service', claims: {} }, { sub: 'orders-service' });
 * // { sub: 'payments-service', act: { sub: 'orders-service' } }
 * ```
 */
export function actClaim(actor: Actor, prior: ActClaim | undefined): ActClaim {
  return prior ? { sub: actor.sub, act: prior } : { sub: actor.sub };
}

/** Whether a subject token lets an actor act for its subject, or its `may_act` is not an object. */
export type MayActVerdict = 'allowed' | 'refused' | 'malformed';

/**
 * Whether the subject token lets `actor` act for its subject: with no `may_act` claim anyone the
 * policy allows may; with one, every claim it names must equal the actor's (RFC 8693 §4.4). A
 * `may_act` that is not a JSON object (an array, a string, `null`…) is `malformed`, never absent.
 */
export function mayAct(subject: Pick<PresentedToken, 'may_act'>, actor: Actor): MayActVerdict {
  const { may_act: named } = subject;
  if (named === undefined) return 'allowed';
  if (named === null || typeof named !== 'object' || Array.isArray(named)) return 'malformed';
  const entries = Object.entries(named);
  return entries.length > 0 && entries.every(([claim, value]) => actor.claims[claim] === value) ? 'allowed' : 'refused';
}
