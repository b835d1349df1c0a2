import { addUsers, introspect, post, tesseraAsync, expectAccepted, startFleet, startResourceServers, untilRefused, userTokens } from './support/fleet.ts';
import type { Fleet, ResourceServers } from './support/fleet.ts';

let fleet: Fleet;
let api: ResourceServers;
let payments: ResourceServers;

beforeAll(async () => {
  fleet = await startFleet();
  addUsers(fleet, 'alice', 'bob');
  api = await startResourceServers(fleet, { from: fleet.b });
  payments = await startResourceServers(fleet, { from: fleet.b, audience: 'payments' });
});

afterAll(async () => {
  await api?.close();
  await payments?.close();
  await fleet?.stop();
});

const SCOPE = 'openid offline_access api:read payments';

async function exchange(subjectToken: string) {
  const answer = await post(fleet.a, '/token', 'orders', {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: subjectToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    audience: 'payments',
    scope: 'payments',
  });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, string> };
}

const embedded = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { payments_token: string }).payments_token;

test('ending a grant ends its access tokens, the tokens embedded in them and the tokens exchanged from them; the revoked token cannot be exchanged again', async () => {
  const alice = await userTokens(fleet, fleet.a, 'alice', 'webapp', SCOPE);
  const bob = await userTokens(fleet, fleet.a, 'bob', 'webapp', SCOPE);
  const aliceExchanged = (await exchange(alice.access_token)).body.access_token!;
  const bobExchanged = (await exchange(bob.access_token)).body.access_token!;
  await expectAccepted(payments, [embedded(alice.access_token), aliceExchanged, embedded(bob.access_token), bobExchanged]);

  expect(await post(fleet.a, '/token/revocation', 'webapp', { token: alice.refresh_token })).toEqual({ status: 200, body: '' });
  await untilRefused(api, [alice.access_token]);
  await untilRefused(payments, [embedded(alice.access_token), aliceExchanged]);
  expect(await introspect(fleet.b, 'orders', aliceExchanged)).toBe(false);
  expect(await introspect(fleet.b, 'orders', bobExchanged)).toBe(true);
  await expectAccepted(api, [bob.access_token]);
  await expectAccepted(payments, [embedded(bob.access_token), bobExchanged]);
  expect(await exchange(alice.access_token)).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'the subject_token has been revoked' },
  });
});

test('RFC 7009 of a JWT access token also ends the tokens embedded in it', async () => {
  const bob = await userTokens(fleet, fleet.a, 'bob', 'webapp', SCOPE);
  const other = await userTokens(fleet, fleet.a, 'bob', 'webapp', SCOPE);
  expect(await post(fleet.a, '/token/revocation', 'webapp', { token: bob.access_token })).toEqual({ status: 200, body: '' });
  await untilRefused(api, [bob.access_token]);
  await untilRefused(payments, [embedded(bob.access_token)]);
  await expectAccepted(payments, [embedded(other.access_token)]);
  await expectAccepted(api, [other.access_token]);
});

test("disabling a user ends the tokens exchanged from the user's tokens", async () => {
  const alice = await userTokens(fleet, fleet.a, 'alice', 'webapp', SCOPE);
  const exchanged = (await exchange(alice.access_token)).body.access_token!;
  expect((await tesseraAsync(fleet, 'users', 'disable', 'alice')).code).toBe(0);
  await untilRefused(payments, [exchanged, embedded(alice.access_token)]);
});
