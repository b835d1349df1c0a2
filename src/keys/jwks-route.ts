import { createHash } from 'node:crypto';

import type { Middleware } from 'koa';

/** Where the JWKS is published, and the cache lifetime resource servers may keep it. */
export interface JwksRouteOptions {
  /** Every path it is published at; each answers the same body, headers and ETag. */
  readonly paths: readonly string[];
  readonly maxAge: number;
  /** Current public JWKS; read per request so that reloaded keys are served at once. */
  readonly jwks: () => { readonly keys: readonly object[] };
}

/**
 * Serves the public keys (with x5c and x5t#S256 where certificates exist) with an ETag and a
 * Cache-Control lifetime, answering 304 to a matching If-None-Match.
 */
export function jwksRoute({ paths, maxAge, jwks }: JwksRouteOptions): Middleware {
  let cached: { source: object; body: string; etag: string } | undefined;
  return async (ctx, next) => {
    if (!paths.includes(ctx.path) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const current = jwks();
    if (cached?.source !== current) {
      const body = JSON.stringify({ keys: current.keys });
      cached = { source: current, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    ctx.set('Cache-Control', `public, max-age=${maxAge}`);
    ctx.set('ETag', cached.etag);
    if (ctx.get('if-none-match') === cached.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/jwk-set+json; charset=utf-8';
    ctx.body = cached.body;
  };
}
