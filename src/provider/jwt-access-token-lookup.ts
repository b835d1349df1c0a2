import { Provider } from 'oidc-provider';
import type { AccessToken } from 'oidc-provider';

import { JWT_SHAPE } from './own-access-tokens.ts';
import type { OwnAccessToken, OwnAccessTokenReader } from './own-access-tokens.ts';

/** Claims of an RFC 9068 token that the engine's token model holds in fields of its own; the rest are `extra`. */
const MODEL_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope', 'cnf', 'authorization_details']);

type AccessTokenFields = ConstructorParameters<Provider['AccessToken']>[0];

function confirmation(claims: OwnAccessToken['claims']): Pick<AccessTokenFields, 'jkt' | 'x5t#S256'> {
  const cnf = claims.cnf && typeof claims.cnf === 'object' ? (claims.cnf as Record<string, unknown>) : {};
  return {
    ...(typeof cnf.jkt === 'string' ? { jkt: cnf.jkt } : {}),
    ...(typeof cnf['x5t#S256'] === 'string' ? { 'x5t#S256': cnf['x5t#S256'] } : {}),
  };
}

/**
 * The token as the engine's userinfo endpoint takes it: an access token without audience (the
 * engine's mark of a token for userinfo) with the OpenID scopes granted with the JWT, on its
 * grant, so the engine itself checks the scope, client, account and grant and answers the claims.
 * A token issued without a grant (client_credentials, token exchange) has no user to answer for.
 */
function userinfoView(provider: Provider, { claims, grant }: OwnAccessToken): AccessToken | undefined {
  if (!grant) return undefined;
  return new provider.AccessToken({
    jti: claims.jti,
    clientId: claims.client_id,
    accountId: grant.accountId,
    grantId: grant.grant,
    gty: 'jwt',
    scope: grant.scope,
    iat: claims.iat,
    exp: claims.exp,
    ...confirmation(claims),
  } as unknown as AccessTokenFields);
}

/** The token as the engine's introspection endpoint describes it: every claim as signed (the grant was checked when it was read). */
function introspectionView(provider: Provider, { claims, grant }: OwnAccessToken): AccessToken {
  const extra = Object.fromEntries(Object.entries(claims).filter(([name]) => !MODEL_CLAIMS.has(name)));
  return new provider.AccessToken({
    jti: claims.jti,
    clientId: claims.client_id,
    accountId: grant?.accountId ?? claims.sub,
    gty: 'jwt',
    aud: claims.aud,
    scope: typeof claims.scope === 'string' ? claims.scope : undefined,
    iat: claims.iat,
    exp: claims.exp,
    ...(Object.keys(extra).length ? { extra } : {}),
    ...confirmation(claims),
  } as unknown as AccessTokenFields);
}

/**
 * Lets the engine's userinfo and introspection endpoints find Tessera's JWT access tokens, which
 * are never stored: `AccessToken.find` of a JWT reads it with `read` (verified, live) and returns
 * the view of the endpoint asking (`Provider.ctx.oidc.route`); anywhere else a JWT is found by no
 * token model, as before. Opaque values go to the engine's own lookups unchanged.
 */
export function lookUpJwtAccessTokens(provider: Provider, read: OwnAccessTokenReader): void {
  wrapFind(provider.AccessToken, (find) => async (value, options) => {
    if (!isJwt(value)) return find(value, options);
    const route = Provider.ctx?.oidc.route;
    if (route !== 'userinfo' && route !== 'introspection') return undefined;
    const token = await read(value);
    if (!token) return undefined;
    return route === 'userinfo' ? userinfoView(provider, token) : introspectionView(provider, token);
  });
  rememberGrantsAtUserinfo(provider);
  // A JWT is no client_credentials or refresh token value: introspection need not look for one in the store.
  for (const model of [provider.ClientCredentials, provider.RefreshToken]) {
    wrapFind(model, (find) => async (value, options) => (isJwt(value) ? undefined : find(value, options)));
  }
}

/**
 * At userinfo the engine loads the token's grant after the reader has checked it: one request
 * reads a grant once, and both see the same record.
 */
function rememberGrantsAtUserinfo(provider: Provider): void {
  const byRequest = new WeakMap<object, Map<string, Promise<unknown>>>();
  wrapFind(provider.Grant, (find) => (id, options) => {
    const ctx = Provider.ctx;
    if (ctx?.oidc.route !== 'userinfo' || typeof id !== 'string') return find(id, options);
    const found = byRequest.get(ctx) ?? new Map<string, Promise<unknown>>();
    byRequest.set(ctx, found);
    const key = `${options?.ignoreExpiration ? 'any' : 'unexpired'} ${id}`;
    if (!found.has(key)) found.set(key, find(id, options));
    return found.get(key)!;
  });
}

type Find = (value: unknown, options?: { ignoreExpiration?: boolean }) => Promise<unknown>;

const isJwt = (value: unknown): value is string => typeof value === 'string' && JWT_SHAPE.test(value);

/** Replaces a token model's static `find` with `wrap` of the engine's own. */
function wrapFind(model: object, wrap: (find: Find) => Find): void {
  const target = model as { find: Find };
  target.find = wrap(target.find.bind(model));
}
