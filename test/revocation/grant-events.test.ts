import * as client from 'openid-client';

import { browse } from '../support/login-flow.ts';
import { addUsers, expectAccepted, introspect, post, serviceToken, startFleet, startResourceServers, untilRefused, userTokens } from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

let fleet: Fleet;
let servers: ResourceServers;

beforeAll(async () => {
  fleet = await startFleet();
  addUsers(fleet, 'alice', 'bob', 'carol');
  servers = await startResourceServers(fleet, { from: fleet.b });
});

afterAll(async () => {
  await servers?.close();
  await fleet?.stop();
});

const accessToken = (body: string): string => (JSON.parse(body) as { access_token: string }).access_token;

async function refresh(at: typeof fleet.a, refreshToken: string, clientId = 'webapp') {
  return post(at, '/token', clientId, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

test('RFC 7009 of a refresh token at A: every access token of its grant is refused by both resource servers; other grants pass', async () => {
  const alice = await userTokens(fleet, fleet.a, 'alice');
  const refreshed = await refresh(fleet.b, alice.refresh_token);
  expect(refreshed.status).toBe(200);
  const sameGrant = accessToken(refreshed.body);
  const rotated = (JSON.parse(refreshed.body) as { refresh_token: string }).refresh_token;
  const aliceOtherApp = await userTokens(fleet, fleet.a, 'alice', 'other-app');
  const bob = await userTokens(fleet, fleet.a, 'bob');
  const service = await serviceToken(fleet.a, 'orders');
  await expectAccepted(servers, [alice.access_token, sameGrant, aliceOtherApp.access_token, bob.access_token, service]);

  expect(await post(fleet.a, '/token/revocation', 'webapp', { token: rotated, token_type_hint: 'refresh_token' })).toEqual({ status: 200, body: '' });
  await untilRefused(servers, [alice.access_token, sameGrant]);
  await expectAccepted(servers, [aliceOtherApp.access_token, bob.access_token, service]);
  expect(await introspect(fleet.b, 'webapp', sameGrant)).toBe(false);
  expect(await introspect(fleet.b, 'webapp', bob.access_token)).toBe(true);
});

test("refresh-token reuse at A revokes the grant: its access tokens are refused; the user's other grants pass", async () => {
  const carol = await userTokens(fleet, fleet.a, 'carol');
  const carolOther = await userTokens(fleet, fleet.a, 'carol', 'other-app');
  const first = await refresh(fleet.a, carol.refresh_token);
  expect(first.status).toBe(200);
  const reuse = await refresh(fleet.a, carol.refresh_token);
  expect({ status: reuse.status, body: JSON.parse(reuse.body) as unknown }).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });
  await untilRefused(servers, [carol.access_token, accessToken(first.body)]);
  await expectAccepted(servers, [carolOther.access_token]);
});

test('a burst of parallel refreshes with one refresh token: one wins, the grant is revoked, and all its access tokens are refused', async () => {
  const bob = await userTokens(fleet, fleet.a, 'bob');
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => refresh(i % 2 ? fleet.b : fleet.a, bob.refresh_token)));
  const won = answers.filter((a) => a.status === 200);
  expect(won.length).toBeLessThanOrEqual(1);
  expect(answers.filter((a) => a.status === 400)).toHaveLength(answers.length - won.length);
  await untilRefused(servers, [bob.access_token, ...won.map((a) => accessToken(a.body))]);
});

test("RP-initiated logout at A ends the session's grants: their access tokens are refused; an offline_access grant and another user's pass", async () => {
  // Two apps in one browser session; the engine keeps an offline_access grant across logout (it is for use without the user).
  const offline = await userTokens(fleet, fleet.a, 'alice', 'webapp', 'openid offline_access api:read');
  const secondApp = await userTokens(fleet, fleet.a, 'alice', 'other-app', 'openid api:read', offline.flow.jar);
  const carol = await userTokens(fleet, fleet.a, 'carol', 'webapp', 'openid api:read');
  const config = await client.discovery(new URL(fleet.issuer), 'webapp', undefined, client.ClientSecretBasic('x'), { execute: [client.allowInsecureRequests] });
  const page = await browse(offline.flow.jar, client.buildEndSessionUrl(config, { id_token_hint: offline.id_token }).href);
  const html = await page.text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /action="([^"]+)"/.exec(html)?.[1];
  expect({ xsrf: typeof xsrf, action: typeof action }).toEqual({ xsrf: 'string', action: 'string' });
  const done = await browse(offline.flow.jar, new URL(action!, fleet.a.url).href, { xsrf: xsrf!, logout: 'yes' });
  expect(done.status).toBe(303);
  await untilRefused(servers, [secondApp.access_token]);
  await expectAccepted(servers, [offline.access_token, carol.access_token]);
});
