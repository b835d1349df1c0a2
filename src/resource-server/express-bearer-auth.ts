import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type { AccessTokenClaims } from './access-token-claims.ts';
import { createBearerAuthenticator } from './bearer-authenticator.ts';
import type { AuthRequest, BearerAuthOptions } from './bearer-authenticator.ts';
import { TokenRejectedError } from './token-rejected-error.ts';

/** The part of an Express (or plain Node) request the middleware reads. */
export interface NodeBearerRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string;
  readonly url?: string;
  readonly originalUrl?: string;
  /** Express: `http` or `https` (X-Forwarded-Proto only with `trust proxy`). */
  readonly protocol?: string;
  /** Express 5: the host with its port (X-Forwarded-Host only with `trust proxy`). */
  readonly host?: string;
  /** A TLS socket (`encrypted: true`) when the server speaks https itself. */
  readonly socket?: object;
}

/** A request that passed the middleware: read the claims as `(req as WithAuth<Request>).auth`. */
export type WithAuth<Request> = Request & { auth: AccessTokenClaims };

function originOf(req: NodeBearerRequest): string {
  const protocol = req.protocol ?? (req.socket && 'encrypted' in req.socket && req.socket.encrypted === true ? 'https' : 'http');
  return `${protocol}://${req.host ?? req.headers.host ?? ''}`;
}

function requestOf(req: NodeBearerRequest): AuthRequest {
  const url = req.originalUrl ?? req.url ?? '';
  const start = url.indexOf('?');
  const dpop = req.headers.dpop;
  return {
    authorization: req.headers.authorization,
    querystring: start === -1 ? '' : url.slice(start + 1),
    method: req.method ?? 'GET',
    dpop: Array.isArray(dpop) ? dpop.join(', ') : dpop,
    path: start === -1 ? url : url.slice(0, start),
    origin: () => originOf(req),
  };
}

/**
 * Express middleware (it also runs on plain `node:http`, connect and the like) that lets a
 * request through only with a valid access token granting `scope` — a bearer token, or a
 * DPoP-bound token with its proof (RFC 9449) — and puts its claims on `req.auth`. Refusals are
 * answered here, exactly as `koaBearerAuth` answers them; other errors go to `next(err)`.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ authority: 'https://id.example.com' });
 * app.get('/orders', expressBearerAuth({ verifier, scope: 'api:read' }), (req, res) => {
 *   res.json(listOrders((req as WithAuth<Request>).auth.sub));
 * });
 * ```
 */
export function expressBearerAuth(
  options: BearerAuthOptions,
): (req: NodeBearerRequest, res: Pick<ServerResponse, 'statusCode' | 'setHeader' | 'end'>, next: (err?: unknown) => void) => void {
  const bearer = createBearerAuthenticator(options);
  return (req, res, next) => {
    const request = requestOf(req);
    bearer.authenticate(request).then(
      ({ claims, headers }) => {
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        (req as Partial<WithAuth<NodeBearerRequest>>).auth = claims;
        next();
      },
      (err: unknown) => {
        if (!(err instanceof TokenRejectedError)) return next(err);
        const { status, headers, body } = bearer.refuse(err, request);
        res.statusCode = status;
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.end(body);
      },
    );
  };
}
