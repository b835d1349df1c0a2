import { errors } from 'oidc-provider';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';

/** The client metadata with which a confidential client opts out of PKCE. */
export const PKCE_OPT_OUT = 'pkce_required';

/**
 * The engine's `pkce.required`, called for an authorization request (or a pushed one) that
 * carries no `code_challenge`. PKCE is required of every client, except a confidential client
 * registered with `pkce_required: false`, and then only in an OpenID request (`scope` with
 * `openid`) with a `nonce`: the nonce in the ID token binds the code to the session that asked
 * for it, which is what PKCE would do (RFC 9700 §2.1.1), and the client secret keeps a stolen
 * code from being redeemed elsewhere. Such a client's request without a nonce is refused with a
 * message saying what is missing.
 */
export function pkceRequired(ctx: KoaContextWithOIDC, client: Client): boolean {
  if (client.clientAuthMethod === 'none' || (client as unknown as Record<string, unknown>)[PKCE_OPT_OUT] !== false) return true;
  const { scope, nonce } = ctx.oidc.params ?? {};
  const openid = typeof scope === 'string' && scope.split(' ').includes('openid');
  if (openid && typeof nonce === 'string' && nonce !== '') return false;
  throw new errors.InvalidRequest(
    `PKCE is required: send code_challenge, or, as this client is registered with ${PKCE_OPT_OUT} false, an OpenID request (scope openid) with a nonce`,
  );
}
