import type { Server } from 'node:http';

import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import OpenIDConnectStrategy from 'passport-openidconnect';
import type { StrategyOptions } from 'passport-openidconnect';

/** Who the app signed in: the profile passport-openidconnect built from userinfo, and the one from the ID token. */
export interface PassportUser {
  readonly userinfo: unknown;
  readonly idToken: unknown;
}

/** An Express web app that signs people in with passport-openidconnect, as its README sets it up. */
export interface PassportApp {
  readonly url: string;
  readonly callbackUrl: string;
  /** Registers the strategy for Tessera at `issuer`; `extra` adds options beyond the README's. */
  connect(issuer: string, clientId: string, clientSecret: string, extra?: Partial<StrategyOptions>): void;
  stop(): Promise<void>;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Starts the app on a free loopback port: express-session, passport's session, `GET /login`
 * (`passport.authenticate('openidconnect')`), `GET /cb` (the callback) and `GET /` showing
 * the signed-in user as JSON in `#user`, or an error in `#error`.
 */
export async function startPassportApp(): Promise<PassportApp> {
  const passport = new Passport();
  passport.serializeUser((user, done) => done(null, JSON.stringify(user)));
  passport.deserializeUser((user: string, done) => done(null, JSON.parse(user) as Express.User));

  const app = express();
  app.use(session({ secret: 'passport-app-session-secret', resave: false, saveUninitialized: false }));
  app.use(passport.authenticate('session'));
  app.get('/login', passport.authenticate('openidconnect'));
  app.get('/cb', passport.authenticate('openidconnect', { failureRedirect: '/failed', failureMessage: true }), (_req, res) => res.redirect('/'));
  app.get('/', (req, res) => {
    res
      .type('html')
      .send(
        `<!doctype html><title>App</title><h1>${req.user ? 'Signed in' : 'Signed out'}</h1>` +
          `<pre id="user">${escapeHtml(JSON.stringify(req.user ?? null))}</pre>`,
      );
  });
  app.get('/failed', (req, res) => {
    const messages = (req.session as unknown as { messages?: string[] }).messages ?? [];
    res
      .status(401)
      .type('html')
      .send(`<!doctype html><title>Failed</title><h1>Sign-in failed</h1><p id="error">${escapeHtml(messages.join('; '))}</p>`);
  });
  app.use((err: Error & { code?: string; oauthError?: { statusCode?: number; data?: string } }, _req: Request, res: Response, _next: NextFunction) => {
    const cause = err.oauthError ? ` (${err.oauthError.statusCode}: ${err.oauthError.data})` : '';
    res
      .status(500)
      .type('html')
      .send(`<!doctype html><title>Error</title><h1>Error</h1><p id="error">${escapeHtml(`${err.code ?? err.name}: ${err.message}${cause}`)}</p>`);
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    callbackUrl: `${url}/cb`,
    connect(issuer, clientId, clientSecret, extra = {}) {
      passport.use(
        new OpenIDConnectStrategy(
          {
            issuer,
            authorizationURL: `${issuer}/auth`,
            tokenURL: `${issuer}/token`,
            userInfoURL: `${issuer}/me`,
            clientID: clientId,
            clientSecret,
            callbackURL: `${url}/cb`,
            ...extra,
          },
          (
            _issuer: string,
            uiProfile: { _json?: unknown },
            idProfile: object,
            _context: object,
            _idToken: string | object,
            _accessToken: string | object,
            _refreshToken: string,
            _params: unknown,
            done: (err: Error | null, user?: PassportUser) => void,
          ) => {
            done(null, { userinfo: uiProfile._json, idToken: idProfile });
          },
        ),
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
