import { createServer, request } from 'node:http';
import type { Server } from 'node:http';

import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';

import { addUser, authorize, browse } from '../support/login-flow.ts';
import { freePort } from '../support/redis-server.ts';
import { startTessera, tempDir } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const WEB_SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const SERVICE_SECRET = 'service-secret-0123456789abcdefghijklmn';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BYE = 'http://127.0.0.1:9/bye';
const PASSWORD = 'correct horse battery staple';
const CLIENTS = {
  clients: [
    {
      client_id: 'webapp',
      client_secret: WEB_SECRET,
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [BYE],
      grant_types: ['authorization_code', 'refresh_token'],
    },
    { client_id: 'billing', client_secret: SERVICE_SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
  ],
};

/** A load balancer in front of the instances: request n goes to instance n mod count; it records who served what. */
class RoundRobin {
  readonly served: { instance: number; path: string }[] = [];
  private next = 0;
  private server: Server | undefined;

  private readonly ports: number[];

  constructor(ports: number[]) {
    this.ports = ports;
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const instance = this.next++ % this.ports.length;
      this.served.push({ instance, path: (req.url ?? '').split('?')[0]! });
      const upstream = request({ host: '127.0.0.1', port: this.ports[instance], method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502).end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((done) => this.server!.listen(port, '127.0.0.1', done));
  }

  /** Which instances served the requests recorded since `from`, in order. */
  instancesSince(from: number): number[] {
    return this.served.slice(from).map((s) => s.instance);
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

let one: TesseraProcess;
let two: TesseraProcess;
let balancer: RoundRobin;
let issuer: string;

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  // Both instances serve one issuer (the balancer's address) and share Redis, keys and cookie keys.
  const env = {
    ISSUER: issuer,
    REDIS_KEY_PREFIX: `rr-${process.pid}:`,
    CERTS_DIR: tempDir('tessera-fleet-certs-'),
    COOKIE_KEYS: 'fleet-cookie-key-0123456789abcdefghijklmn',
  };
  one = await startTessera({ configFile: CLIENTS, env });
  two = await startTessera({ configFile: CLIENTS, env });
  balancer = new RoundRobin([one.port, two.port]);
  await balancer.listen(port);
  addUser(one.redisEnv!, 'alice', PASSWORD);
});

afterAll(async () => {
  await balancer?.close();
  await Promise.all([one?.stop(), two?.stop()]);
});

/** Requests alternate strictly, and both instances took part. */
function expectAlternation(instances: number[]): void {
  expect(instances.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < instances.length; i++) expect(instances[i]).not.toBe(instances[i - 1]);
}

test('client_credentials through the balancer: tokens from either instance verify against the JWKS served by either', async () => {
  const from = balancer.served.length;
  const config = await client.discovery(new URL(issuer), 'billing', undefined, client.ClientSecretBasic(SERVICE_SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const subjects = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const tokens = await client.clientCredentialsGrant(config);
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: 'resource_server', typ: 'at+jwt' });
    subjects.add(String(payload.client_id));
  }
  expect([...subjects]).toEqual(['billing']);
  expectAlternation(balancer.instancesSince(from));
  const tokenRequests = balancer.served.slice(from).filter((s) => s.path === '/token');
  expect(new Set(tokenRequests.map((s) => s.instance))).toEqual(new Set([0, 1]));
});

test('login, code redemption, refresh and logout complete while consecutive requests alternate between instances', async () => {
  const from = balancer.served.length;
  const config = await client.discovery(new URL(issuer), 'webapp', undefined, client.ClientSecretBasic(WEB_SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({
    issuer,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access',
    username: 'alice',
    password: PASSWORD,
    extra: { prompt: 'consent' },
  });
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  expect(tokens.claims()?.sub).toEqual(expect.any(String));

  // Refresh twice, so each instance rotates a refresh token the other issued.
  const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
  const second = await client.refreshTokenGrant(config, first.refresh_token!);
  expect(second.access_token).toEqual(expect.any(String));
  // The rotated-away token is refused, whichever instance is asked.
  await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

  const logout = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE, state: 'bye' });
  const page = await browse(flow.jar, logout.href);
  const html = await page.text();
  expect(html).toContain('Do you want to sign out');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
  const action = /action="([^"]+)"/.exec(html)![1]!;
  const done = await browse(flow.jar, new URL(action, issuer).href, { xsrf, logout: 'yes' });
  expect(done.status).toBe(303);
  expect(done.headers.get('location')).toBe(`${BYE}?state=bye`);

  // Signed out everywhere: the next authorization request asks for the password again.
  const again = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: 'z'.repeat(43),
    code_challenge_method: 'S256',
  });
  const start = await browse(flow.jar, again.href);
  const loginPage = await browse(flow.jar, new URL(start.headers.get('location')!, issuer).href);
  expect(await loginPage.text()).toContain('name="password"');

  const instances = balancer.instancesSince(from);
  expectAlternation(instances);
  const paths = balancer.served.slice(from);
  for (const step of ['/auth', '/interaction/', '/token', '/session/end']) {
    const servedBy = new Set(paths.filter((s) => s.path.startsWith(step)).map((s) => s.instance));
    expect({ step, servedBy: [...servedBy].sort() }).toEqual({ step, servedBy: [0, 1] });
  }
});
