import * as client from 'openid-client';

import { createJwtSigner } from '../../../src/keys/jwt-signer.ts';
import type { JwtSigner } from '../../../src/keys/jwt-signer.ts';
import { loadKeys } from '../../../src/keys/load-keys.ts';
import { addUser, authorize } from '../../support/login-flow.ts';
import { startTessera, tempDir } from '../../support/tessera.ts';
import type { TesseraProcess } from '../../support/tessera.ts';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
export const REDIRECT = 'http://127.0.0.1:9/cb';
export const PASSWORD = 'correct horse battery staple';
export const ORDERS = 'https://orders.example.com';

export const SECRETS: Record<string, string> = Object.fromEntries(
  ['webapp', 'orders-service', 'payments-service', 'reports-service', 'batch-service'].map((id) => [id, `${id}-secret-0123456789abcdefghijklmn`]),
);

const service = (client_id: string, extra: Record<string, unknown>) => ({
  client_id,
  client_secret: SECRETS[client_id],
  redirect_uris: [],
  response_types: [],
  ...extra,
});

/**
 * The e-commerce fleet: a browser app (webapp) signs users in for the order service's API
 * (`orders`); the order service calls geolocation, credit rating and payments; the payment
 * service calls a payment gateway; a reporting job reads a legacy API with opaque tokens.
 */
export const FLEET_CONFIG = {
  clients: [
    {
      client_id: 'webapp',
      client_secret: SECRETS.webapp,
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      embed: [
        { claim: 'payments_token', audience: 'payments', scope: 'payments', ttl: 60 },
        { claim: 'geo_token', audience: 'geolocation', scope: 'geo:read', ttl: 60 },
      ],
    },
    service('orders-service', {
      grant_types: ['client_credentials', TOKEN_EXCHANGE],
      scope: 'orders',
      // The batch job's own tokens may be presented as actor_token; so may the browser app's, which
      // are users' tokens (sub a user), not the app's own, and so are still refused as actors.
      token_exchange: {
        subject_audiences: ['orders'],
        actors: ['batch-service', 'webapp'],
        targets: [
          { audience: 'payments', scope: 'payments' },
          { audience: 'geolocation', scope: 'geo:read' },
          { audience: 'credit-rating', scope: 'credit:read' },
        ],
      },
    }),
    service('payments-service', {
      grant_types: [TOKEN_EXCHANGE],
      token_exchange: { subject_audiences: ['payments'], targets: [{ audience: 'payment-gateway', scope: 'payments' }] },
    }),
    service('reports-service', {
      grant_types: ['client_credentials', TOKEN_EXCHANGE],
      scope: 'payments',
      token_exchange: { delegation: false, targets: [{ audience: 'payments', scope: 'payments' }] },
    }),
    service('batch-service', { grant_types: ['client_credentials'], scope: 'orders' }),
  ],
  resourceServers: [
    { indicator: ORDERS, audience: 'orders', scopes: ['orders', 'payments', 'geo:read', 'credit:read'] },
    { indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'], accessTokenTTL: 300, signingAlg: 'RS256' },
    { indicator: 'https://geo.example.com', audience: 'geolocation', scopes: ['geo:read'], accessTokenTTL: 300 },
    { indicator: 'https://credit.example.com', audience: 'credit-rating', scopes: ['credit:read'], accessTokenTTL: 20 },
    { indicator: 'https://gateway.example.com', audience: 'payment-gateway', scopes: ['payments'], accessTokenTTL: 120 },
    { indicator: 'https://legacy.example.com', audience: 'legacy', scopes: ['payments'], accessTokenFormat: 'opaque' },
  ],
};

/** A running fleet issuer, its signing keys (to mint edge-case tokens) and a signed-in user. */
export interface Fleet {
  readonly tessera: TesseraProcess;
  /** Signs with Tessera's own keys, as Tessera would. */
  readonly sign: JwtSigner;
  readonly webapp: client.Configuration;
}

export async function startFleet(): Promise<Fleet> {
  const certs = tempDir('tessera-certs-');
  const tessera = await startTessera({ configFile: FLEET_CONFIG, env: { CERTS_DIR: certs } });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  const webapp = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRETS.webapp!), {
    execute: [client.allowInsecureRequests],
  });
  return { tessera, sign: createJwtSigner(await loadKeys({ dir: certs })), webapp };
}

/**
 * An access token signed with Tessera's own key, as Tessera would issue it: for `orders`, from
 * the browser app, scope `orders payments`, issued now and living 10 minutes; `claims` on top.
 */
export function mintToken(fleet: Fleet, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return fleet.sign('ES256', {
    iss: fleet.tessera.url,
    aud: 'orders',
    client_id: 'webapp',
    scope: 'orders payments',
    jti: `minted-${Math.random()}`,
    iat: now,
    exp: now + 600,
    ...claims,
  });
}

/** Alice signs in to the browser app (code + PKCE) and consents; the app's tokens for `resource`. */
export async function signIn(fleet: Fleet, scope = 'openid orders payments', resource = ORDERS): Promise<client.TokenEndpointResponse> {
  const flow = await authorize({
    issuer: fleet.tessera.url,
    config: fleet.webapp,
    redirectUri: REDIRECT,
    scope,
    username: 'alice',
    password: PASSWORD,
    extra: { resource },
  });
  return client.authorizationCodeGrant(
    fleet.webapp,
    flow.callback,
    {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    },
    { resource },
  );
}

/** POSTs to the token endpoint as `clientId` (client_secret_basic); the status and JSON body. */
export async function tokenRequest(fleet: Fleet, clientId: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fleet.tessera.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${SECRETS[clientId]}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A token-exchange request of `subject_token` (an access token) by `clientId`. */
export function exchange(fleet: Fleet, clientId: string, subjectToken: string, params: Record<string, string> = {}) {
  return tokenRequest(fleet, clientId, { grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, ...params });
}

/** A client_credentials token of `clientId`. */
export async function serviceToken(fleet: Fleet, clientId: string, params: Record<string, string> = {}): Promise<string> {
  const { status, body } = await tokenRequest(fleet, clientId, { grant_type: 'client_credentials', ...params });
  if (status !== 200) throw new Error(`client_credentials for ${clientId} failed: ${JSON.stringify(body)}`);
  return body.access_token as string;
}
