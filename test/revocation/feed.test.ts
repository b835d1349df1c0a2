import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { CLIENTS, post, RESOURCE_SERVERS, serviceToken, startResourceServers, untilRefused } from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

let tessera: TesseraProcess;
let fleet: Fleet;

beforeAll(async () => {
  // Development memory mode: the in-memory revocation store behind the same feed.
  tessera = await startTessera({
    redis: false,
    env: { ACCESS_TOKEN_SCOPES: 'api:read,payments' },
    configFile: { clients: CLIENTS, resourceServers: RESOURCE_SERVERS },
  });
  fleet = { a: tessera, b: tessera, issuer: tessera.url, stop: async () => {} };
});

afterAll(async () => {
  await tessera?.stop();
});

test('discovery names the feed; a page is a JWT of its own typ signed with a published key, with the cursor asked and the entries after it', async () => {
  const discovery = (await (await fetch(`${tessera.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  expect(discovery.revocation_feed_endpoint).toBe(`${tessera.url}/revocations`);
  const token = await serviceToken(tessera, 'orders');
  expect((await post(tessera, '/token/revocation', 'orders', { token })).status).toBe(200);

  const response = await fetch(`${tessera.url}/revocations?since=0`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/revocation-feed+jwt');
  expect(response.headers.get('cache-control')).toBe('public, max-age=1');
  const { payload, protectedHeader } = await jwtVerify(await response.text(), createRemoteJWKSet(new URL(`${tessera.url}/jwks`)), {
    issuer: tessera.url,
    typ: 'revocation-feed+jwt',
  });
  expect(protectedHeader).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'revocation-feed+jwt' });
  const { jti, exp } = decodeJwt(token);
  expect(payload).toEqual({
    iss: tessera.url,
    iat: expect.any(Number),
    epoch: expect.any(String),
    since: 0,
    cursor: 1,
    more: false,
    entries: [{ claim: 'jti', value: jti, exp: exp! + 60 }],
  });
  const later = decodeJwt(await (await fetch(`${tessera.url}/revocations?since=1`)).text());
  expect(later).toMatchObject({ since: 1, cursor: 1, more: false, entries: [] });
});

test('a since that is not a cursor is 400 invalid_request', async () => {
  for (const since of ['-1', 'abc', '1.5', '1e3']) {
    const response = await fetch(`${tessera.url}/revocations?since=${since}`);
    expect({ status: response.status, body: (await response.json()) as unknown }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'since must be a cursor from an earlier page (a non-negative integer)' },
    });
  }
});

/** A network between the kits and Tessera that rewrites feed pages with `rewrite`. */
function tampering(rewrite: (body: string, url: string) => string) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    if (!url.includes('/revocations')) return response;
    return new Response(rewrite(await response.text(), url), { status: response.status, headers: response.headers });
  };
}

async function statusesOf(servers: ResourceServers, token: string): Promise<number[]> {
  return Promise.all(servers.apps.map(async (app) => (await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${token}` } })).status));
}

test('an entry removed from a page in transit breaks its signature: the kit refuses the page, and then tokens (503), never the entry', async () => {
  const stripped = tampering((body) => {
    const [header, payload, signature] = body.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { entries: unknown[] };
    return `${header}.${Buffer.from(JSON.stringify({ ...claims, entries: [] })).toString('base64url')}.${signature}`;
  });
  const servers = await startResourceServers(fleet, { from: tessera, fetch: stripped, revocation: { pollInterval: 0.2, maxStaleness: 0 } });
  try {
    const token = await serviceToken(tessera, 'billing');
    expect((await post(tessera, '/token/revocation', 'billing', { token })).status).toBe(200);
    expect(await statusesOf(servers, token)).toEqual([503, 503]);
    expect(servers.events.find((e) => e.event === 'revocations.fetch_failed')).toMatchObject({ detail: 'signature verification failed' });
  } finally {
    await servers.close();
  }
});

test('an old page replayed for a later cursor is refused: the kit does not take it for the answer', async () => {
  let recorded: string | undefined;
  const replaying = tampering((body) => {
    recorded ??= body;
    return recorded;
  });
  const honest = await startResourceServers(fleet, { from: tessera });
  const servers = await startResourceServers(fleet, { from: tessera, fetch: replaying, revocation: { pollInterval: 0.2, maxStaleness: 0 } });
  try {
    const first = await serviceToken(tessera, 'orders');
    expect(await statusesOf(servers, first)).toEqual([200, 200]);
    const token = await serviceToken(tessera, 'orders');
    expect((await post(tessera, '/token/revocation', 'orders', { token })).status).toBe(200);
    await untilRefused(honest, [token]);
    // Until the tampered kits read again they answer from the list they hold; never 200 after that.
    for (const start = performance.now(); performance.now() - start < 3000; await new Promise((r) => setTimeout(r, 50))) {
      const answers = await statusesOf(servers, token);
      expect(answers.every((status) => status === 503 || status === 200)).toBe(true);
      if (answers.every((status) => status === 503)) break;
    }
    expect(await statusesOf(servers, token)).toEqual([503, 503]);
    const details = servers.events.filter((e) => e.event === 'revocations.fetch_failed').map((e) => ('detail' in e ? e.detail : ''));
    expect(details).toContainEqual(expect.stringMatching(/^the feed answered since=0 to since=\d+$/));
  } finally {
    await Promise.all([honest.close(), servers.close()]);
  }
});

test("REVOCATION=false: no feed in discovery or at /revocations, and RFC 7009 of a JWT is the engine's unsupported_token_type", async () => {
  const off = await startTessera({
    redis: false,
    env: { REVOCATION: 'false', ACCESS_TOKEN_SCOPES: 'api:read,payments' },
    configFile: { clients: CLIENTS, resourceServers: RESOURCE_SERVERS },
  });
  try {
    const discovery = (await (await fetch(`${off.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.revocation_feed_endpoint).toBeUndefined();
    expect((await fetch(`${off.url}/revocations`)).status).toBe(404);
    const token = await serviceToken(off, 'orders');
    const answer = await post(off, '/token/revocation', 'orders', { token });
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
      status: 400,
      body: { error: 'unsupported_token_type', error_description: 'Structured JWT Tokens cannot be revoked via the revocation_endpoint' },
    });
  } finally {
    await off.stop();
  }
});
