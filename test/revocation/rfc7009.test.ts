import { decodeJwt } from 'jose';

import { addUsers, expectAccepted, introspect, post, serviceToken, startFleet, startResourceServers, untilRefused, userTokens } from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

let fleet: Fleet;
let servers: ResourceServers;

beforeAll(async () => {
  fleet = await startFleet();
  addUsers(fleet, 'alice', 'bob');
  servers = await startResourceServers(fleet, { from: fleet.b });
});

afterAll(async () => {
  await servers?.close();
  await fleet?.stop();
});

test('RFC 7009 of a JWT access token at instance A: both resource servers, fed by B, refuse it; other tokens still pass', async () => {
  const revoked = await serviceToken(fleet.a, 'orders');
  const sameClient = await serviceToken(fleet.a, 'orders');
  const otherClient = await serviceToken(fleet.a, 'billing');
  const alice = await userTokens(fleet, fleet.a, 'alice');
  await expectAccepted(servers, [revoked, sameClient, otherClient, alice.access_token]);

  expect(await post(fleet.a, '/token/revocation', 'orders', { token: revoked, token_type_hint: 'access_token' })).toEqual({ status: 200, body: '' });
  await untilRefused(servers, [revoked]);
  await expectAccepted(servers, [sameClient, otherClient, alice.access_token]);
  // Introspection at the other instance agrees.
  expect(await introspect(fleet.b, 'orders', revoked)).toBe(false);
  expect(await introspect(fleet.b, 'orders', sameClient)).toBe(true);

  // A user's JWT access token, revoked by its client: only that token ends, not its grant.
  expect(await post(fleet.a, '/token/revocation', 'webapp', { token: alice.access_token })).toEqual({ status: 200, body: '' });
  await untilRefused(servers, [alice.access_token]);
  expect(await introspect(fleet.b, 'webapp', alice.access_token)).toBe(false);
  const refreshed = await post(fleet.b, '/token', 'webapp', { grant_type: 'refresh_token', refresh_token: alice.refresh_token });
  expect(refreshed.status).toBe(200);
  await expectAccepted(servers, [(JSON.parse(refreshed.body) as { access_token: string }).access_token]);
});

test('a JWT of another client, or a forged one, is answered 200 and nothing is revoked', async () => {
  const token = await serviceToken(fleet.a, 'orders');
  expect(await post(fleet.a, '/token/revocation', 'billing', { token })).toEqual({ status: 200, body: '' });
  const [header, , signature] = token.split('.');
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), client_id: 'billing' })).toString('base64url')}.${signature}`;
  expect(await post(fleet.a, '/token/revocation', 'billing', { token: forged })).toEqual({ status: 200, body: '' });
  // The feed is read at least twice more before the token is checked again.
  await new Promise((r) => setTimeout(r, 600));
  await expectAccepted(servers, [token]);
});

test("a wrong client secret is still the engine's invalid_client, with a JWT as with any token", async () => {
  const token = await serviceToken(fleet.a, 'orders');
  const response = await fetch(`${fleet.a.url}/token/revocation`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('orders:wrong').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  await expectAccepted(servers, [token]);
});

test('a JWT that is not an access token (an ID token) cannot be revoked: unsupported_token_type, as RFC 7009 §2.2.1 says', async () => {
  const alice = await userTokens(fleet, fleet.a, 'alice');
  const answer = await post(fleet.a, '/token/revocation', 'webapp', { token: alice.id_token });
  expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
    status: 400,
    body: { error: 'unsupported_token_type', error_description: 'Structured JWT Tokens cannot be revoked via the revocation_endpoint' },
  });
  await expectAccepted(servers, [alice.access_token]);
});
