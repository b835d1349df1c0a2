import { errors } from 'oidc-provider';

import { ACCESS_TOKEN_TYPE, PRESENTED_TOKEN_TYPES, REQUESTABLE_TOKEN_TYPES } from './token-types.ts';

/** The parameters of a token-exchange request (RFC 8693 §2.1) besides the client's authentication. */
export const EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
] as const;

type Params = Partial<Record<(typeof EXCHANGE_PARAMETERS)[number], unknown>>;

/** A well-formed token-exchange request. */
export interface ExchangeRequest {
  readonly subjectToken: string;
  readonly subjectTokenType: string;
  readonly actor?: { readonly token: string; readonly type: string } | undefined;
  /** The `issued_token_type` of the answer. */
  readonly issuedTokenType: string;
  readonly audience?: string | undefined;
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
}

function text(params: Params, name: keyof Params): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new errors.InvalidRequest(`only one ${name} may be given`);
  return value;
}

function required(params: Params, name: keyof Params): string {
  const value = text(params, name);
  if (value === undefined) throw new errors.InvalidRequest(`missing required parameter '${name}'`);
  return value;
}

function tokenType(value: string, name: string, supported: readonly string[]): string {
  if (!supported.includes(value)) throw new errors.InvalidRequest(`unsupported ${name}: use ${supported.join(' or ')}`);
  return value;
}

/** Reads and checks the parameters; throws the engine's `invalid_request` for a missing or unsupported one. */
export function readExchangeRequest(params: Params): ExchangeRequest {
  const subjectToken = required(params, 'subject_token');
  const subjectTokenType = tokenType(required(params, 'subject_token_type'), 'subject_token_type', PRESENTED_TOKEN_TYPES);
  const actorToken = text(params, 'actor_token');
  const actorTokenType = text(params, 'actor_token_type');
  if (actorToken !== undefined && actorTokenType === undefined) throw new errors.InvalidRequest("missing required parameter 'actor_token_type'");
  if (actorToken === undefined && actorTokenType !== undefined) throw new errors.InvalidRequest('actor_token_type given without actor_token');
  const requested = text(params, 'requested_token_type');
  return {
    subjectToken,
    subjectTokenType,
    actor: actorToken === undefined ? undefined : { token: actorToken, type: tokenType(actorTokenType!, 'actor_token_type', PRESENTED_TOKEN_TYPES) },
    issuedTokenType: requested === undefined ? ACCESS_TOKEN_TYPE : tokenType(requested, 'requested_token_type', REQUESTABLE_TOKEN_TYPES),
    audience: text(params, 'audience'),
    resource: text(params, 'resource'),
    scope: text(params, 'scope'),
  };
}
