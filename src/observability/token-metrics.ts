import type { EventEmitter } from 'node:events';

import type { Registry } from 'prom-client';

import { TOKEN_EXCHANGE_GRANT } from '../config/grant-types.ts';
import { boundedLabel, cellCounter, memo2 } from './counter-cells.ts';
import type { CounterCell } from './counter-cells.ts';

/** Distinct client ids counted by name; more (there should never be: only real clients get tokens) count as `other`. */
const CLIENT_LABELS = 1000;
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE_GRANT]);
/** OAuth error codes of the token endpoint (RFC 6749 §5.2, RFC 8693, RFC 8707, RFC 9449) and the engine's. */
const ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'invalid_authorization_details',
  'server_error',
  'temporarily_unavailable',
  'access_denied',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'invalid_token',
]);
/**
 * How a refresh token presented again after its first use is refused: by the engine when it
 * reads the consumed marker (oidc-provider's `InvalidGrant` detail), or by Tessera's adapters
 * when two redemptions race (adapters/redis, src/provider/memory-adapter.ts). Both revoke the grant.
 */
const REUSE_DETAILS = new Set(['refresh token already used', 'RefreshToken already consumed']);

/** What the engine's token events carry that metrics read. */
interface IssuedToken {
  readonly clientId?: string | undefined;
  readonly gty?: string | undefined;
  readonly resourceServer?: { readonly audience?: string | undefined } | undefined;
}

interface TokenContext {
  readonly oidc?: { readonly route?: string; readonly params?: { readonly grant_type?: unknown }; readonly client?: { readonly clientId: string } };
}

interface EngineError {
  readonly error?: string;
  readonly error_detail?: string;
}

/** Counts the engine's token facts: access tokens issued, token-endpoint errors, refresh-token reuse. */
export interface TokenMetrics {
  /** Subscribes to one engine instance's events (each engine built on a key change is observed anew). */
  observe(engine: EventEmitter): void;
}

/** The grant type as a bounded label: the last grant of `gty` (`authorization_code refresh_token` was refreshed). */
function grantLabel(value: unknown): string {
  if (typeof value !== 'string') return 'other';
  const space = value.lastIndexOf(' ');
  const grant = space < 0 ? value : value.slice(space + 1);
  return GRANT_TYPES.has(grant) ? grant : 'other';
}

/**
 * `tessera_access_tokens_issued_total{grant_type,client_id,audience}`,
 * `tessera_token_errors_total{grant_type,error}` and `tessera_refresh_token_reuse_total{client_id}`,
 * from oidc-provider's events. `audiences` are the configured ones; a token for none of them
 * (userinfo only) counts as `userinfo`.
 */
export function tokenMetrics(registry: Registry, audiences: readonly string[]): TokenMetrics {
  const issued = cellCounter(registry, 'tessera_access_tokens_issued_total', 'Access tokens issued, by grant type, client and audience.', [
    'grant_type',
    'client_id',
    'audience',
  ]);
  const errors = cellCounter(registry, 'tessera_token_errors_total', 'Token endpoint requests refused, by grant type and OAuth error code.', [
    'grant_type',
    'error',
  ]);
  const reuse = cellCounter(
    registry,
    'tessera_refresh_token_reuse_total',
    'Refresh tokens presented again after their first use (the grant is revoked), by client.',
    ['client_id'],
  );
  const known = new Set(audiences);
  const client = boundedLabel(CLIENT_LABELS);
  const perGrant = new Map<string, (client: string, audience: string) => CounterCell>();
  const issuedCell = (grant: string, clientId: string, audience: string): CounterCell => {
    let cells = perGrant.get(grant);
    if (!cells) {
      cells = memo2((c: string, a: string) => issued.cell(grant, client(c), a));
      perGrant.set(grant, cells);
    }
    return cells(clientId, audience);
  };
  const errorCell = memo2((grant: string, code: string) => errors.cell(grant, code));
  const reuseCell = new Map<string, CounterCell>();
  const audienceOf = (token: IssuedToken): string => {
    const audience = token.resourceServer?.audience;
    if (audience === undefined) return 'userinfo';
    return known.has(audience) ? audience : 'other';
  };
  const onAccessToken = (token: IssuedToken): void => {
    issuedCell(grantLabel(token.gty), token.clientId ?? 'other', audienceOf(token)).pending++;
  };
  const onClientCredentials = (token: IssuedToken): void => {
    issuedCell('client_credentials', token.clientId ?? 'other', audienceOf(token)).pending++;
  };
  const onError = (ctx: TokenContext, err: EngineError): void => {
    const grant = grantLabel(ctx.oidc?.params?.grant_type);
    errorCell(grant, err.error && ERROR_CODES.has(err.error) ? err.error : 'other').pending++;
    if (grant === 'refresh_token' && err.error_detail !== undefined && REUSE_DETAILS.has(err.error_detail)) {
      const id = client(ctx.oidc?.client?.clientId ?? 'other');
      let cell = reuseCell.get(id);
      if (!cell) {
        cell = reuse.cell(id);
        reuseCell.set(id, cell);
      }
      cell.pending++;
    }
  };
  return {
    observe(engine) {
      // JWT access tokens are `issued`, opaque ones `saved` (stored): each token is one of the two.
      engine.on('access_token.issued', onAccessToken);
      engine.on('access_token.saved', onAccessToken);
      engine.on('client_credentials.issued', onClientCredentials);
      engine.on('client_credentials.saved', onClientCredentials);
      engine.on('grant.error', onError);
      engine.on('server_error', (ctx: TokenContext, err: EngineError) => {
        if (ctx.oidc?.route === 'token') onError(ctx, { ...err, error: 'server_error' });
      });
    },
  };
}
