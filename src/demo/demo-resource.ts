import type { Context } from 'koa';
import { errors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';

/** Options of {@link demoResource}. */
export interface DemoResourceOptions {
  readonly issuer: string;
  /** The audience access tokens are for (ACCESS_TOKEN_AUDIENCE). */
  readonly audience: string;
  /** Tessera's JWKS as seen from a back-channel origin. */
  readonly jwks: (origin: string) => JWTVerifyGetKey;
}

const REALM = 'tessera-demo';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The demo's protected resource, `GET /demo/resource`: it does what every resource server of
 * the fleet does — verifies the bearer access token offline with `jose` against Tessera's JWKS
 * (issuer, audience, `typ: at+jwt`) — and answers JSON about the caller. Refusals follow
 * RFC 6750: no token gets a bare challenge; a bad one `invalid_token`; keys that cannot be
 * fetched a 503.
 */
export function demoResource({ issuer, audience, jwks }: DemoResourceOptions) {
  return async (ctx: Context, origin: string): Promise<void> => {
    ctx.set('Cache-Control', 'no-store');
    const token = BEARER.exec(ctx.get('authorization'))?.[1];
    if (!token) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
      ctx.body = '';
      return;
    }
    try {
      const { payload } = await jwtVerify(token, jwks(origin), { issuer, audience, typ: 'at+jwt' });
      ctx.body = {
        message: `Hello! This resource server accepted your access token after checking its signature against ${issuer}/jwks, offline.`,
        sub: payload.sub, client_id: payload.client_id, scope: payload.scope, aud: payload.aud,
        expires_at: new Date((payload.exp ?? 0) * 1000).toISOString(),
      };
    } catch (err) {
      // Keys that cannot be fetched say nothing about the token: the resource is unavailable.
      if (!(err instanceof errors.JOSEError) || err instanceof errors.JWKSTimeout) {
        ctx.status = 503;
        ctx.body = { error: 'temporarily_unavailable', error_description: 'the signing keys could not be fetched' };
        return;
      }
      ctx.status = 401;
      ctx.set('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token", error_description="the access token is invalid"`);
      ctx.body = { error: 'invalid_token', error_description: 'the access token is invalid' };
    }
  };
}
