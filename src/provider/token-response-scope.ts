import type { Provider } from 'oidc-provider';

import type { AccessTokenGrants } from './access-token-grants.ts';

/**
 * After the engine answers an authorization_code or refresh_token request: the response's
 * `scope` names everything granted with the access token — the OpenID scopes (`openid`,
 * `profile`, `email`…) that it opens at userinfo as well as the resource server's scopes it
 * carries as a claim (RFC 6749 §5.1) — and a JWT access token's grant is recorded (by `jti`),
 * so userinfo and introspection can find it. The JWT itself stays as the engine signed it: its
 * `scope` claim names the resource server's scopes only.
 */
export function completeTokenResponses(provider: Provider, grants: AccessTokenGrants): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const { AccessToken: at, Grant: grant, AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
    const source = code ?? refresh;
    if (!at || !grant || !source || !at.jti) return;
    // As the engine decides the token's scope: a refresh request may narrow it with `scope`.
    const asked = !code && ctx.oidc.params?.scope ? ctx.oidc.requestParamScopes : source.scopes;
    const oidcScope = grant.getOIDCScopeFiltered(asked);
    const body = ctx.body as { scope?: string };
    const scope = [...new Set([...oidcScope.split(' '), ...(at.scope ?? '').split(' ')])].filter(Boolean).join(' ');
    if (scope) body.scope = scope;
    if (at.resourceServer?.accessTokenFormat === 'jwt') {
      await grants.remember(at.jti, { grant: grant.jti, accountId: at.accountId, scope: oidcScope }, at.expiration);
    }
  });
}
