import * as client from 'openid-client';

import { authorize } from './login-flow.ts';
import type { FlowResult } from './login-flow.ts';

/** The web app every code-flow test signs in with, and its user's password. */
export const WEBAPP = { client_id: 'webapp', client_secret: 'webapp-secret-0123456789abcdefghijklmnop', redirect_uri: 'http://127.0.0.1:9/cb' } as const;
export const PASSWORD = 'correct horse battery staple';
/** A resource server whose tokens live 2 s, for tests of expiry. */
export const SHORT_LIVED = { indicator: 'https://short.example.com', audience: 'short', scopes: ['api:read'], accessTokenTTL: 2 } as const;
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The web app's static client metadata. */
export const webappClient = () => ({
  client_id: WEBAPP.client_id,
  client_secret: WEBAPP.client_secret,
  redirect_uris: [WEBAPP.redirect_uri],
  grant_types: ['authorization_code', 'refresh_token'],
});

/** A service client (client_credentials, no redirect URIs) with `extra` metadata. */
export const serviceClient = (id: string, secret: string, extra: Record<string, unknown> = {}) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  ...extra,
});

/** The openid-client configuration of a client of `issuer` (HTTP allowed: tests run on loopback). */
export const discover = (issuer: string, id: string, secret: string) =>
  client.discovery(new URL(issuer), id, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });

/** Signs `username` in at the web app (authorize with `parameters`, login, consent) and redeems the code with openid-client, for `resource` if given. */
export async function signInToWebapp(
  issuer: string,
  config: client.Configuration,
  username: string,
  scope: string,
  resource?: string,
  parameters: Record<string, string> = {},
) {
  const extra = resource ? { resource } : undefined;
  const flow = await authorize({ issuer, config, redirectUri: WEBAPP.redirect_uri, scope, username, password: PASSWORD, extra: { ...extra, ...parameters } });
  const tokens = await client.authorizationCodeGrant(
    config,
    flow.callback,
    {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    },
    extra,
  );
  return { flow, tokens };
}

/** Redeems the code of `flow` a second time: the engine then revokes the grant it was issued on. Resolves the HTTP status. */
export async function redeemAgain(issuer: string, flow: FlowResult): Promise<number> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${WEBAPP.client_id}:${WEBAPP.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: WEBAPP.redirect_uri,
      code_verifier: flow.codeVerifier,
    }),
  });
  await response.arrayBuffer();
  return response.status;
}
