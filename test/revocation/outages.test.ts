import { startRedis } from '../support/redis-server.ts';
import type { RedisProcess } from '../support/redis-server.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { CLIENTS, post, RESOURCE_SERVERS, REVOKED, serviceToken, startResourceServers, untilRefused } from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

const UNAVAILABLE = { status: 503, body: { error: 'temporarily_unavailable', error_description: 'the access token cannot be verified now; try again later' } };

let redis: RedisProcess;
let tessera: TesseraProcess;
let fleet: Fleet;

beforeAll(async () => {
  redis = await startRedis();
  tessera = await startTessera({
    env: { REDIS_URL: redis.url, ACCESS_TOKEN_SCOPES: 'api:read,payments' },
    configFile: { clients: CLIENTS, resourceServers: RESOURCE_SERVERS },
  });
  fleet = { a: tessera, b: tessera, issuer: tessera.url, stop: async () => {} };
});

afterAll(async () => {
  await tessera?.stop();
  await redis?.stop();
});

/** Polls `check` until it holds, for at most `limit` ms. */
async function until(check: () => Promise<boolean>, limit = 5000): Promise<void> {
  for (const start = performance.now(); performance.now() - start < limit; await new Promise((r) => setTimeout(r, 50))) {
    if (await check()) return;
  }
  throw new Error(`not within ${limit} ms`);
}

async function answers(servers: ResourceServers, token: string): Promise<unknown[]> {
  return Promise.all(
    servers.apps.map(async (app) => {
      const response = await fetch(`${app.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as unknown;
      return response.status === 200 ? { status: 200 } : { status: response.status, body };
    }),
  );
}

const all = (list: unknown[], expected: unknown): boolean => list.every((a) => JSON.stringify(a) === JSON.stringify(expected));

test('Redis down: revocation and the feed answer 503; the kit keeps accepting for maxStaleness, then refuses with 503, and recovers with Redis', async () => {
  const servers = await startResourceServers(fleet, { from: tessera, revocation: { pollInterval: 0.2, maxStaleness: 1 } });
  try {
    const revoked = await serviceToken(tessera, 'orders');
    const live = await serviceToken(tessera, 'orders');
    expect((await post(tessera, '/token/revocation', 'orders', { token: revoked })).status).toBe(200);
    await untilRefused(servers, [revoked]);

    await redis.stop();
    const refused = await post(tessera, '/token/revocation', 'orders', { token: live });
    expect({ status: refused.status, body: JSON.parse(refused.body) as unknown }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'the authorization server cannot reach its storage; try again shortly' },
    });
    const feed = await fetch(`${tessera.url}/revocations?since=0`);
    expect({ status: feed.status, body: (await feed.json()) as unknown }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'the revocation list cannot be read now; try again shortly' },
    });

    // Within maxStaleness the list held still answers: the live token passes, the revoked one does not.
    expect(all(await answers(servers, live), { status: 200 })).toBe(true);
    expect(all(await answers(servers, revoked), REVOKED)).toBe(true);
    await until(async () => all(await answers(servers, live), UNAVAILABLE));
    expect(servers.events.filter((e) => e.event === 'revocations.stale')).toHaveLength(2);
    expect(servers.events.some((e) => e.event === 'revocations.fetch_failed')).toBe(true);

    // Redis back (empty: it kept nothing): the kits recover and keep the revocations they held.
    redis = await startRedis([], redis.port);
    await until(async () => all(await answers(servers, live), { status: 200 }));
    expect(all(await answers(servers, revoked), REVOKED)).toBe(true);
    expect(servers.events.filter((e) => e.event === 'revocations.recovered')).toHaveLength(2);
  } finally {
    await servers.close();
  }
});

test('feed unreachable from the start: the kit refuses with 503 (never accepts unchecked); with maxStaleness 0 it refuses as soon as a read fails', async () => {
  let feedUp = false;
  const gate = (url: string, init: RequestInit) =>
    !feedUp && url.includes('/revocations') ? Promise.reject(new Error('connection refused')) : fetch(url, init);
  const gated = await startResourceServers(fleet, { from: tessera, revocation: { pollInterval: 0.2, maxStaleness: 0 }, fetch: gate });
  try {
    const token = await serviceToken(tessera, 'billing');
    expect(all(await answers(gated, token), UNAVAILABLE)).toBe(true);
    feedUp = true;
    await until(async () => all(await answers(gated, token), { status: 200 }));
    feedUp = false;
    await until(async () => all(await answers(gated, token), UNAVAILABLE), 3000);
    expect(gated.events.some((e) => e.event === 'revocations.stale')).toBe(true);
  } finally {
    await gated.close();
  }
});
