import type { Middleware } from 'koa';

import { createJwtSigner } from '../keys/jwt-signer.ts';
import type { JwtSigner } from '../keys/jwt-signer.ts';
import type { KeySet } from '../keys/load-keys.ts';
import type { RevocationPage, RevocationStore } from './revocation-store.ts';

/** Where the feed is served, advertised in discovery as `revocation_feed_endpoint`. */
export const FEED_PATH = '/revocations';

/** The `typ` header of a feed page. */
export const FEED_TYPE = 'revocation-feed+jwt';

/** The most entries in one page of the feed (a follower asks again while `more` is true). */
export const FEED_PAGE = 5000;

/** Seconds a page may be cached (`Cache-Control: max-age`): each `since` is its own page. */
export const FEED_MAX_AGE = 1;

const SINCE = /^\d{1,15}$/;

/**
 * GET {@link FEED_PATH}`?since=<cursor>`: the revocations after a cursor, as a JWT
 * (`typ: revocation-feed+jwt`, media type `application/revocation-feed+jwt`) signed with the
 * active key of `alg`, so a resource server verifies it against the JWKS it already has and
 * nobody in between can drop an entry. The claims: `iss`, `iat`, `epoch`, `since` (as asked),
 * `cursor`, `more`, `entries`. Storage down: 503 `temporarily_unavailable`.
 */
export function feedRoute({ issuer, alg, keys, store }: { issuer: string; alg: string; keys: () => KeySet; store: RevocationStore }): Middleware {
  let signer: { keys: KeySet; sign: JwtSigner } | undefined;
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    ctx.set('Cache-Control', 'no-store');
    const since = ctx.query.since ?? '0';
    if (typeof since !== 'string' || !SINCE.test(since)) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'since must be a cursor from an earlier page (a non-negative integer)' };
      return;
    }
    let page: RevocationPage;
    try {
      page = await store.read(Number(since), FEED_PAGE);
    } catch {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: 'the revocation list cannot be read now; try again shortly' };
      return;
    }
    const current = keys();
    if (signer?.keys !== current) signer = { keys: current, sign: createJwtSigner(current, FEED_TYPE) };
    ctx.set('Cache-Control', `public, max-age=${FEED_MAX_AGE}`);
    ctx.type = `application/${FEED_TYPE}`;
    ctx.body = signer.sign(alg, { iss: issuer, iat: Math.floor(Date.now() / 1000), ...page });
  };
}
