import { decodeJwt } from 'jose';

import { createVerifier, TokenRejectedError } from '../../src/resource-server/index.ts';
import { exchange, serviceToken, signIn, startFleet } from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet();
});

afterAll(async () => {
  await fleet.tessera.stop();
});

const verifierFor = (audience: string) => createVerifier({ authority: fleet.tessera.url, audience });

test("the browser app's token carries a narrower payments token that the payments resource server accepts", async () => {
  const accessToken = (await signIn(fleet, 'openid orders payments')).access_token;
  const outer = await verifierFor('orders').verify(accessToken);
  expect(outer.geo_token).toBeUndefined();
  const embedded = outer.payments_token as string;

  const claims = await verifierFor('payments').verify(embedded);
  expect(claims).toEqual({
    iss: fleet.tessera.url,
    aud: 'payments',
    sub: outer.sub,
    client_id: 'webapp',
    scope: 'payments',
    jti: expect.any(String),
    iat: expect.any(Number),
    exp: claims.iat + 60,
    grant_ref: outer.grant_ref,
  });
  expect(outer.grant_ref).toEqual(expect.stringMatching(/^[\w-]{22}$/));
  expect(claims.exp).toBeLessThanOrEqual(outer.exp);
});

test("an embedded token is rejected by another audience's resource server, and the outer token by the embedded audience's", async () => {
  const accessToken = (await signIn(fleet, 'openid orders payments geo:read')).access_token;
  const outer = await verifierFor('orders').verify(accessToken);
  const paymentsToken = outer.payments_token as string;
  const geoToken = outer.geo_token as string;
  await expect(verifierFor('geolocation').verify(geoToken)).resolves.toMatchObject({ aud: 'geolocation', scope: 'geo:read' });

  for (const [token, audience] of [
    [paymentsToken, 'geolocation'],
    [paymentsToken, 'orders'],
    [geoToken, 'payments'],
    [accessToken, 'payments'],
  ] as const) {
    await expect(verifierFor(audience).verify(token)).rejects.toEqual(expect.objectContaining({ reason: 'audience_mismatch' }));
  }
  await expect(verifierFor('payments').verify(accessToken)).rejects.toBeInstanceOf(TokenRejectedError);
});

test('a tampered embedded token fails its signature', async () => {
  const outer = decodeJwt((await signIn(fleet, 'openid orders payments')).access_token);
  const [header, , signature] = (outer.payments_token as string).split('.') as [string, string, string];
  const widened = Buffer.from(JSON.stringify({ ...decodeJwt(outer.payments_token as string), scope: 'payments admin' })).toString('base64url');
  await expect(verifierFor('payments').verify(`${header}.${widened}.${signature}`)).rejects.toMatchObject({ reason: 'bad_signature' });
});

test('nothing is embedded for clients without embed, nor in exchanged tokens', async () => {
  const service = decodeJwt(await serviceToken(fleet, 'orders-service', { resource: 'https://orders.example.com', scope: 'orders' }));
  expect(Object.keys(service).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
  const userToken = (await signIn(fleet, 'openid orders payments')).access_token;
  const exchanged = decodeJwt((await exchange(fleet, 'orders-service', userToken, { audience: 'payments' })).body.access_token as string);
  expect(Object.keys(exchanged).sort()).toEqual(['act', 'aud', 'client_id', 'exp', 'grant_ref', 'iat', 'iss', 'jti', 'scope', 'sub']);
});
