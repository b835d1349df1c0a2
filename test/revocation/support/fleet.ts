import * as client from 'openid-client';

import { createVerifier } from '../../../src/resource-server/index.ts';
import type { KitEvent, RevocationOptions, Verifier } from '../../../src/resource-server/index.ts';
import { startExpressApp, startKoaApp } from '../../resource-server/support/protected-apps.ts';
import type { ProtectedApp } from '../../resource-server/support/protected-apps.ts';
import { addUser, authorize } from '../../support/login-flow.ts';
import type { FlowResult } from '../../support/login-flow.ts';
import { startTessera, tempDir } from '../../support/tessera.ts';
import { tesseraCliAsync } from '../../support/tessera-cli.ts';
import type { TesseraProcess } from '../../support/tessera.ts';

export const REDIRECT = 'http://127.0.0.1:9/cb';
export const PASSWORD = 'correct horse battery staple';
const SECRET = (id: string): string => `${id}-secret-0123456789abcdefghijklmnop`;

/** The clients of the fleet: two web apps (code flow + refresh) and two services (client_credentials, one may exchange). */
export const CLIENTS = [
  {
    client_id: 'webapp',
    client_secret: SECRET('webapp'),
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid offline_access api:read payments',
    embed: [{ claim: 'payments_token', audience: 'payments', scope: 'payments', ttl: 120 }],
  },
  {
    client_id: 'other-app',
    client_secret: SECRET('other-app'),
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid offline_access api:read',
  },
  {
    client_id: 'orders',
    client_secret: SECRET('orders'),
    grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    redirect_uris: [],
    response_types: [],
    scope: 'api:read',
    token_exchange: { targets: [{ audience: 'payments', scope: 'payments' }] },
  },
  { client_id: 'billing', client_secret: SECRET('billing'), grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' },
];

export const RESOURCE_SERVERS = [{ indicator: 'https://payments.example.com', audience: 'payments', scopes: ['payments'], accessTokenTTL: 300 }];

/** Two Tessera instances on one Redis prefix, certs and cookie keys, serving one issuer (as behind a load balancer). */
export interface Fleet {
  readonly a: TesseraProcess;
  readonly b: TesseraProcess;
  readonly issuer: string;
  stop(): Promise<void>;
}

export async function startFleet(env: Record<string, string> = {}): Promise<Fleet> {
  const shared = {
    ACCESS_TOKEN_SCOPES: 'api:read,api:write,payments',
    REDIS_KEY_PREFIX: `rev-${process.pid}-${Date.now()}:`,
    CERTS_DIR: tempDir('tessera-rev-certs-'),
    COOKIE_KEYS: 'shared-cookie-key-0123456789abcdefghijkl',
    ...env,
  };
  const configFile = { clients: CLIENTS, resourceServers: RESOURCE_SERVERS };
  const a = await startTessera({ configFile, env: shared });
  const b = await startTessera({ configFile, env: { ...shared, ISSUER: a.url } });
  return {
    a,
    b,
    issuer: a.url,
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

/** A fetch that sends requests for `from` to `to` instead: the resource servers read instance B. */
export function via(from: string, to: string): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) => fetch(url.startsWith(from) ? to + url.slice(from.length) : url, init);
}

/** A Koa and an Express resource server whose kits follow the feed through `feedFrom`. */
export interface ResourceServers {
  readonly apps: readonly ProtectedApp[];
  readonly verifiers: readonly Verifier[];
  readonly events: KitEvent[];
  close(): Promise<void>;
}

/** How the resource servers' kits are set up: which instance feeds them (or which fetch), their audience and feed settings. */
export interface ResourceServerOptions {
  readonly from: TesseraProcess;
  readonly revocation?: RevocationOptions;
  readonly audience?: string;
  /** Instead of reading `from`: a fetch of the test's own (a broken or tampering network). */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export async function startResourceServers(fleet: Fleet, options: ResourceServerOptions): Promise<ResourceServers> {
  const { from, revocation = { pollInterval: 0.2 }, audience = 'resource_server' } = options;
  const events: KitEvent[] = [];
  const verifiers = [0, 1].map(() =>
    createVerifier({
      authority: fleet.issuer,
      audience,
      revocation,
      fetch: options.fetch ?? via(fleet.issuer, from.url),
      logger: (event) => events.push(event),
    }),
  );
  const apps = [await startKoaApp({ verifier: verifiers[0]! }), await startExpressApp({ verifier: verifiers[1]! })];
  return {
    apps,
    verifiers,
    events,
    close: async () => {
      for (const v of verifiers) v.close();
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

/** GET /orders of every app with the token: the statuses and bodies. */
export async function callAll(servers: ResourceServers, token: string): Promise<{ status: number; body: unknown }[]> {
  return Promise.all(
    servers.apps.map(async (app) => {
      const response = await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    }),
  );
}

export const REVOKED = { status: 401, body: { error: 'invalid_token', error_description: 'the access token has been revoked' } };

/**
 * Polls every app until each refuses every token as revoked, for at most `limit` ms (the kits
 * read the feed every 0.2 s; the rest is room for a machine busy with other tests); returns the
 * milliseconds it took. Throws with the last answers when the limit passes.
 */
export async function untilRefused(servers: ResourceServers, tokens: readonly string[], limit = 10_000): Promise<number> {
  const start = performance.now();
  let answers: unknown[] = [];
  while (performance.now() - start < limit) {
    answers = (await Promise.all(tokens.map((token) => callAll(servers, token)))).flat();
    if (answers.every((a) => JSON.stringify(a) === JSON.stringify(REVOKED))) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not refused within ${limit} ms: ${JSON.stringify(answers)}`);
}

/** Asserts every app accepts every token. */
export async function expectAccepted(servers: ResourceServers, tokens: readonly string[]): Promise<void> {
  for (const token of tokens) {
    for (const answer of await callAll(servers, token)) expect(answer.status).toBe(200);
  }
}

/** Basic credentials of a fleet client. */
export function basic(clientId: string): string {
  return `Basic ${Buffer.from(`${clientId}:${SECRET(clientId)}`).toString('base64')}`;
}

/** POSTs a form to an endpoint of an instance with a client's credentials. */
export async function post(instance: TesseraProcess, path: string, clientId: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(`${instance.url}${path}`, {
    method: 'POST',
    headers: { authorization: basic(clientId), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.text() };
}

/** Whether introspection at `instance`, asked by `clientId`, says the token is active (RFC 7662). */
export async function introspect(instance: TesseraProcess, clientId: string, token: string): Promise<boolean> {
  const { status, body } = await post(instance, '/token/introspection', clientId, { token });
  if (status !== 200) throw new Error(`introspection answered ${status}: ${body}`);
  return (JSON.parse(body) as { active: boolean }).active;
}

/** A client_credentials access token of a service client. */
export async function serviceToken(instance: TesseraProcess, clientId: string): Promise<string> {
  const { status, body } = await post(instance, '/token', clientId, { grant_type: 'client_credentials', scope: 'api:read' });
  if (status !== 200) throw new Error(`client_credentials answered ${status}: ${body}`);
  return (JSON.parse(body) as { access_token: string }).access_token;
}

/** The tokens of a code flow at instance `at` for `username` with client `clientId`. */
export interface UserTokens {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly id_token: string;
  readonly flow: FlowResult;
}

export async function userTokens(
  fleet: Fleet,
  at: TesseraProcess,
  username: string,
  clientId = 'webapp',
  scope = 'openid offline_access api:read',
  jar?: FlowResult['jar'],
): Promise<UserTokens> {
  const config = await client.discovery(new URL(fleet.issuer), clientId, undefined, client.ClientSecretBasic(SECRET(clientId)), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({
    issuer: at.url,
    config,
    redirectUri: REDIRECT,
    scope,
    username,
    password: PASSWORD,
    ...(jar ? { jar } : {}),
    extra: { prompt: 'consent' },
  });
  const redeemed = await post(at, '/token', clientId, {
    grant_type: 'authorization_code',
    code: flow.callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: flow.codeVerifier,
  });
  if (redeemed.status !== 200) throw new Error(`code redemption answered ${redeemed.status}: ${redeemed.body}`);
  return { ...(JSON.parse(redeemed.body) as Omit<UserTokens, 'flow'>), flow };
}

/** Adds users to the fleet's Redis. */
export function addUsers(fleet: Fleet, ...usernames: string[]): void {
  for (const name of usernames) addUser(fleet.a.redisEnv!, name, PASSWORD);
}

/**
 * Runs `tessera <args>` against the fleet's Redis without blocking the event loop (the resource
 * servers of the test run in this process and keep answering); its exit code and output.
 */
export function tesseraAsync(fleet: Fleet, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return tesseraCliAsync({ ...fleet.a.redisEnv!, CONFIG_FILE: '' }, ...args);
}
