import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import * as client from 'openid-client';

/** What the relying party got back from one authorization response. */
export type Outcome =
  | { readonly ok: true; readonly tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers }
  | { readonly ok: false; readonly error: string; readonly error_description: string };

/** A small web app on loopback that signs people in with Tessera (openid-client, code + PKCE). */
export interface RelyingParty {
  readonly url: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  /** Every authorization response it received, in order. */
  readonly outcomes: Outcome[];
  /** Discovers Tessera; call once Tessera runs. */
  connect(issuer: string): Promise<client.Configuration>;
  stop(): Promise<void>;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (res: ServerResponse, status: number, title: string, body: string): void => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><noscript><p id="no-script">Scripting is off.</p></noscript><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
};

/**
 * Starts the relying party on a free loopback port. `GET /login?scope=…&prompt=…` sends the
 * browser to Tessera; `/cb` redeems the code (checking state, nonce and PKCE) and shows the ID
 * token's claims or the error; `/logout` sends the browser to Tessera's end-session endpoint.
 */
export async function startRelyingParty(clientId: string, secret: string): Promise<RelyingParty> {
  const server: Server = createServer(
    (req, res) => void handle(req, res).catch((err: Error) => page(res, 500, 'RP error', `<pre>${escapeHtml(err.stack ?? err.message)}</pre>`)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const outcomes: Outcome[] = [];
  let config: client.Configuration | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const current = new URL(req.url ?? '/', url);
    if (!config) throw new Error('the relying party is not connected to Tessera');
    if (current.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      pending.set(state, { verifier, nonce });
      const target = client.buildAuthorizationUrl(config, {
        redirect_uri: `${url}/cb`,
        scope: current.searchParams.get('scope') ?? 'openid',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...(current.searchParams.get('prompt') ? { prompt: current.searchParams.get('prompt')! } : {}),
      });
      res.writeHead(302, { location: target.href }).end();
    } else if (current.pathname === '/cb') {
      const state = current.searchParams.get('state') ?? '';
      const flow = pending.get(state);
      pending.delete(state);
      if (!flow) return page(res, 400, 'Unknown state', '');
      try {
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: flow.verifier,
          expectedState: state,
          expectedNonce: flow.nonce,
        });
        outcomes.push({ ok: true, tokens });
        page(res, 200, 'Signed in at the app', `<pre id="claims">${escapeHtml(JSON.stringify(tokens.claims(), null, 2))}</pre>`);
      } catch (err) {
        const { error = 'unknown', error_description = String(err) } = err as { error?: string; error_description?: string };
        outcomes.push({ ok: false, error, error_description });
        page(res, 200, 'Sign-in failed at the app', `<p id="error">${escapeHtml(error)}</p><p id="error-description">${escapeHtml(error_description)}</p>`);
      }
    } else if (current.pathname === '/logout') {
      const last = outcomes.findLast((o) => o.ok);
      const target = client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: `${url}/bye`,
        ...(last?.ok && last.tokens.id_token ? { id_token_hint: last.tokens.id_token } : {}),
      });
      res.writeHead(302, { location: target.href }).end();
    } else if (current.pathname === '/bye') {
      page(res, 200, 'Signed out of the app', '');
    } else {
      page(res, 404, 'Not found', '');
    }
  }

  return {
    url,
    redirectUri: `${url}/cb`,
    postLogoutRedirectUri: `${url}/bye`,
    outcomes,
    async connect(issuer) {
      config = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
      return config;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
