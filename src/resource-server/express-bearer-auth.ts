import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type { AccessTokenClaims } from './access-token-claims.ts';
import { createBearerAuthenticator } from './bearer-authenticator.ts';
import type { BearerAuthOptions } from './bearer-authenticator.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** The part of an Express (or plain Node) request the middleware reads. */
export interface NodeBearerRequest {
  readonly headers: IncomingHttpHeaders;
  readonly url?: string;
  readonly originalUrl?: string;
}

/** A request that passed the middleware: read the claims as `(req as WithAuth<Request>).auth`. */
export type WithAuth<Request> = Request & { auth: AccessTokenClaims };

function querystringOf(req: NodeBearerRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start + 1);
}

/**
 * Express middleware (it also runs on plain `node:http`, connect and the like) that lets a
 * request through only with a valid bearer access token granting `scope`, and puts its claims
 * on `req.auth`. Refusals are answered here, exactly as `koaBearerAuth` answers them; other
 * errors go to `next(err)`.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ authority: 'https://id.example.com' });
 * app.get('/orders', expressBearerAuth({ verifier, scope: 'api:read' }), (req, res) => {
 *   res.json(listOrders((req as WithAuth<Request>).auth.sub));
 * });
 * ```
 */
export function expressBearerAuth(options: BearerAuthOptions): (req: NodeBearerRequest, res: Pick<ServerResponse, 'statusCode' | 'setHeader' | 'end'>, next: (err?: unknown) => void) => void {
  const bearer = createBearerAuthenticator(options);
  return (req, res, next) => {
    bearer.authenticate(req.headers.authorization, querystringOf(req)).then((claims) => {
      (req as Partial<WithAuth<NodeBearerRequest>>).auth = claims;
      next();
    }, (err: unknown) => {
      if (!(err instanceof TokenRejectedError)) return next(err);
      const { status, headers, body } = bearer.refuse(err);
      res.statusCode = status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.end(body);
    });
  };
}
