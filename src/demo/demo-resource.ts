import type { Context } from 'koa';

import { createVerifier, koaBearerAuth } from '../resource-server/index.ts';
import type { BearerAuthState, FetchLike } from '../resource-server/index.ts';

/** Options of {@link demoResource}. */
export interface DemoResourceOptions {
  readonly issuer: string;
  /** The audience access tokens are for (ACCESS_TOKEN_AUDIENCE). */
  readonly audience: string;
}

const REALM = 'tessera-demo';

/** Fetches the issuer's URLs (discovery, JWKS) at the back-channel origin instead, path kept. */
function backChannelFetch(issuer: string, origin: string): FetchLike {
  const issuerOrigin = new URL(issuer).origin;
  return (url, init) => {
    const target = new URL(url);
    return fetch(target.origin === issuerOrigin ? new URL(`${target.pathname}${target.search}`, origin) : target, init);
  };
}

/**
 * The demo's protected resource, `GET /demo/resource`: it is what every resource server of the
 * fleet is — the resource-server kit (`koaBearerAuth` on `createVerifier`), verifying the access
 * token offline against Tessera's JWKS (issuer, audience, `typ: at+jwt`, RFC 9068 claims) and
 * answering refusals as RFC 6750 and RFC 9449 say — and answers JSON about the caller. The kit
 * reaches Tessera at the back-channel origin (one verifier per origin) and does not follow the
 * revocation feed, so the demo adds no background polling to the server it runs in.
 */
export function demoResource({ issuer, audience }: DemoResourceOptions) {
  const byOrigin = new Map<string, ReturnType<typeof koaBearerAuth>>();
  const protectFor = (origin: string): ReturnType<typeof koaBearerAuth> => {
    let protect = byOrigin.get(origin);
    if (!protect) {
      const verifier = createVerifier({ authority: issuer, audience, revocation: false, allowInsecureHttp: true, fetch: backChannelFetch(issuer, origin) });
      protect = koaBearerAuth({ verifier, realm: REALM });
      byOrigin.set(origin, protect);
    }
    return protect;
  };

  return async (ctx: Context, origin: string): Promise<void> => {
    ctx.set('Cache-Control', 'no-store');
    await protectFor(origin)(ctx, async () => {
      const claims = (ctx.state as BearerAuthState).auth;
      ctx.body = {
        message: `Hello! This resource server accepted your access token after checking its signature against ${issuer}/jwks, offline.`,
        sub: claims.sub,
        client_id: claims.client_id,
        scope: claims.scope,
        aud: claims.aud,
        expires_at: new Date(claims.exp * 1000).toISOString(),
      };
    });
  };
}
