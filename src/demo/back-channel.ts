import type { Context } from 'koa';
import { createRemoteJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';

import { createBoundedCache } from '../support/bounded-cache.ts';

/** Back-channel origins whose JWKS is kept at most (a host serves the demo on a few addresses). */
export const REMEMBERED_ORIGINS = 16;

/**
 * The origin the demo app uses to reach Tessera from the server side (token endpoint, JWKS,
 * the demo resource): the address and port this request arrived on. The browser uses the
 * issuer; from inside a container or behind a proxy the issuer's host may not be reachable,
 * but the socket this process accepted the request on always is.
 */
export function backChannelOrigin(ctx: Context): string {
  const { localAddress = '127.0.0.1', localPort } = ctx.req.socket;
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}`;
}

/**
 * Tessera's JWKS per back-channel origin, fetched and cached by `jose` as any resource server
 * does; the origins come from the sockets requests arrive on, so at most `capacity` are kept.
 */
export function createJwksCache(capacity = REMEMBERED_ORIGINS): (origin: string) => JWTVerifyGetKey {
  const sets = createBoundedCache<string, JWTVerifyGetKey>(capacity);
  return (origin) => {
    let set = sets.get(origin);
    if (!set) {
      set = createRemoteJWKSet(new URL('/jwks', origin), { timeoutDuration: 5000 });
      sets.set(origin, set);
    }
    return set;
  };
}
