import type { Middleware } from 'koa';
import type { Provider } from 'oidc-provider';

import { SIGNING_ALGS } from '../config/signing-algorithms.ts';
import type { KeySet } from '../keys/load-keys.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { RevokedToken, Revocations } from '../revocation/revocations.ts';
import { createOwnJwtVerifier } from '../token-exchange/verify-own-jwt.ts';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** The engine's revocation endpoint (its default `routes.revocation`, which Tessera keeps; the engine is mounted at the root). */
const REVOCATION_PATH = '/token/revocation';

interface RevocationContext {
  readonly oidc?: { readonly route?: string; readonly client?: { readonly clientId: string }; readonly params?: { readonly token?: unknown } };
  readonly state: { requestId?: string };
}

/** The `typ` of a compact JWS header, lower case without `application/`; undefined when unreadable. */
function typOf(jwt: string): string | undefined {
  try {
    const { typ } = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { typ?: unknown };
    return typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : undefined;
  } catch {
    return undefined;
  }
}

/** The `jti` and `exp` of a JWT embedded as a claim, read without verification: it came inside a verified token. */
function embedded(value: unknown): RevokedToken | undefined {
  if (typeof value !== 'string' || !JWT_SHAPE.test(value)) return undefined;
  try {
    const { jti, exp } = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString('utf8')) as { jti?: unknown; exp?: unknown };
    return typeof jti === 'string' && typeof exp === 'number' ? { jti, exp } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * RFC 7009 for JWT access tokens, as an engine middleware around the revocation endpoint. The
 * engine authenticates the client, then refuses a structured token with
 * `unsupported_token_type`; this middleware takes that answer, made only after a successful
 * client authentication, and revokes the token instead: a valid access token of this issuer
 * issued to the calling client gets a `jti` entry (with the tokens embedded in it), and the
 * answer is 200 as for any token (RFC 7009 §2.2: an invalid, expired or foreign token is no
 * error). Any other JWT keeps `unsupported_token_type`. Storage down: 503, never a 200 that did nothing.
 */
export function jwtRevocation({
  provider,
  keys,
  revocations,
  audit,
}: {
  provider: Provider;
  keys: KeySet;
  revocations: Revocations;
  audit: Audit;
}): Middleware {
  const verify = createOwnJwtVerifier(keys.jwks, {
    issuer: provider.issuer,
    typ: 'at+jwt',
    algorithms: SIGNING_ALGS,
    requiredClaims: ['exp', 'jti', 'client_id'],
    clockTolerance: 5,
  });
  // Every other request passes straight on, without a layer of its own.
  return (ctx, next) => (ctx.method === 'POST' && ctx.path === REVOCATION_PATH ? revoke(ctx, next) : next());

  async function revoke(ctx: Parameters<Middleware>[0], next: () => Promise<unknown>): Promise<void> {
    await next();
    const { oidc, state } = ctx as unknown as RevocationContext;
    const token = oidc?.params?.token;
    const body = ctx.body as { error?: string } | undefined;
    if (oidc?.route !== 'revocation' || ctx.status !== 400 || body?.error !== 'unsupported_token_type' || !oidc.client) return;
    // Only access tokens: any other JWT (an ID token, say) keeps the engine's unsupported_token_type (RFC 7009 §2.2.1).
    if (typeof token !== 'string' || !JWT_SHAPE.test(token) || typOf(token) !== 'at+jwt') return;
    ctx.status = 200;
    ctx.body = '';
    let claims: Record<string, unknown>;
    try {
      claims = verify(token, Math.floor(Date.now() / 1000));
    } catch {
      return;
    }
    if (claims.client_id !== oidc.client.clientId) return;
    const tokens = [
      { jti: claims.jti as string, exp: claims.exp as number },
      ...Object.values(claims)
        .map(embedded)
        .filter((t) => t !== undefined),
    ];
    try {
      await revocations.revokeTokens(tokens);
    } catch {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: 'the authorization server cannot reach its storage; try again shortly' };
      return;
    }
    audit({
      event: 'token.revoked',
      actor: `client:${oidc.client.clientId}`,
      target: `token:${String(claims.jti)}`,
      outcome: 'success',
      requestId: state.requestId,
      kind: 'AccessToken',
      jti: String(claims.jti),
      tokens: tokens.length,
    });
  }
}
