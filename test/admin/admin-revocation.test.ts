import {
  addUsers,
  expectAccepted,
  introspect,
  post,
  serviceToken,
  startFleet,
  startResourceServers,
  tesseraAsync,
  untilRefused,
  userTokens,
} from '../revocation/support/fleet.ts';
import type { Fleet, ResourceServers } from '../revocation/support/fleet.ts';

let fleet: Fleet;
let servers: ResourceServers;
let admin: string;

beforeAll(async () => {
  fleet = await startFleet();
  addUsers(fleet, 'alice', 'bob', 'carol');
  servers = await startResourceServers(fleet, { from: fleet.b });
  const added = await tesseraAsync(fleet, 'clients', 'add', 'ops', '--admin');
  const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
  const response = await fetch(`${fleet.a.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`ops:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:tessera:admin', scope: 'admin:users admin:sessions admin:clients' }),
  });
  admin = ((await response.json()) as { access_token: string }).access_token;
}, 90_000);

afterAll(async () => {
  await servers?.close();
  await fleet?.stop();
});

/** Calls the admin API of instance A: the status and the JSON body, if any. */
async function call(method: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fleet.a.url}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${admin}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function idOf(username: string): Promise<string> {
  const response = await fetch(`${fleet.a.url}/admin/v1/users?q=${username}`, { headers: { authorization: `Bearer ${admin}` } });
  return ((await response.json()) as { items: { id: string }[] }).items[0]!.id;
}

const SLOW = 90_000;

test(
  "ending a user's grants through the admin API ends their refresh tokens at once and their access tokens at both resource servers",
  async () => {
    const alice = await userTokens(fleet, fleet.a, 'alice');
    const bob = await userTokens(fleet, fleet.a, 'bob');
    expect(await call('DELETE', `/users/${await idOf('alice')}/grants`)).toEqual({ status: 200, body: { revoked: 1 } });
    const refreshed = await post(fleet.b, '/token', 'webapp', { grant_type: 'refresh_token', refresh_token: alice.refresh_token! });
    expect(refreshed).toEqual({ status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'grant request is invalid' }) });
    await untilRefused(servers, [alice.access_token]);
    await expectAccepted(servers, [bob.access_token]);
    expect(await introspect(fleet.b, 'webapp', alice.access_token)).toBe(false);
  },
  SLOW,
);

test(
  'disabling a user through the admin API ends every access token of the user at both resource servers',
  async () => {
    const carol = await userTokens(fleet, fleet.a, 'carol');
    const bob = await userTokens(fleet, fleet.a, 'bob');
    expect((await call('POST', `/users/${await idOf('carol')}/disable`)).status).toBe(200);
    await untilRefused(servers, [carol.access_token]);
    await expectAccepted(servers, [bob.access_token]);
  },
  SLOW,
);

test(
  'deleting a client through the admin API ends the tokens it holds at both resource servers',
  async () => {
    const added = await tesseraAsync(fleet, 'clients', 'add', 'reports', '--grant-types', 'client_credentials', '--scope', 'api:read');
    const secret = /client_secret: ([\w-]{43})\n/.exec(added.stdout)![1]!;
    const response = await fetch(`${fleet.a.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`reports:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=api%3Aread',
    });
    const token = ((await response.json()) as { access_token: string }).access_token;
    const other = await serviceToken(fleet.a, 'billing');
    expect(await call('DELETE', '/clients/reports')).toEqual({ status: 204, body: undefined });
    await untilRefused(servers, [token]);
    await expectAccepted(servers, [other]);
  },
  SLOW,
);
