import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import Koa from 'koa';

import { expressBearerAuth, koaBearerAuth } from '../../../src/resource-server/index.ts';
import type { BearerAuthOptions, BearerAuthState, WithAuth } from '../../../src/resource-server/index.ts';

/** A resource server on 127.0.0.1 whose GET /orders answers `{ auth }` once the middleware lets it through. */
export interface ProtectedApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Waits until `server` listens (on 127.0.0.1, any port) and wraps it as a {@link ProtectedApp}. */
export async function listen(server: Server): Promise<ProtectedApp> {
  await new Promise<void>((ready) => server.once('listening', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function startKoaApp(options: BearerAuthOptions): Promise<ProtectedApp> {
  const app = new Koa<BearerAuthState>();
  const guard = koaBearerAuth(options);
  app.use(async (ctx, next) => {
    if (ctx.path !== '/orders') return next();
    await guard(ctx, async () => {
      ctx.body = { auth: ctx.state.auth };
    });
  });
  return listen(app.listen(0, '127.0.0.1'));
}

export function startExpressApp(options: BearerAuthOptions): Promise<ProtectedApp> {
  const app = express();
  app.get('/orders', expressBearerAuth(options), (req, res) => {
    res.json({ auth: (req as unknown as WithAuth<express.Request>).auth });
  });
  return listen(app.listen(0, '127.0.0.1'));
}

export const FRAMEWORKS = [
  ['Koa', startKoaApp],
  ['Express', startExpressApp],
] as const;
