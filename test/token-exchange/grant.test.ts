import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';

import {
  ACCESS_TOKEN_TYPE,
  exchange,
  JWT_TOKEN_TYPE,
  mintToken,
  ORDERS,
  SECRETS,
  serviceToken,
  signIn,
  startFleet,
  TOKEN_EXCHANGE,
  tokenRequest,
} from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

let fleet: Fleet;
let userToken: string;
let userSub: string;

beforeAll(async () => {
  fleet = await startFleet();
  const tokens = await signIn(fleet);
  userToken = tokens.access_token;
  userSub = decodeJwt(userToken).sub!;
});

afterAll(async () => {
  await fleet.tessera.stop();
});

const now = (): number => Math.floor(Date.now() / 1000);

async function verifyAt(token: string, audience: string) {
  return jwtVerify(token, createRemoteJWKSet(new URL(`${fleet.tessera.url}/jwks`)), { issuer: fleet.tessera.url, audience, typ: 'at+jwt' });
}

/** A token for `orders` signed with Tessera's own key, as Tessera would issue it, with `claims` on top. */
function ordersToken(claims: Record<string, unknown> = {}): string {
  return mintToken(fleet, { sub: userSub, ...claims });
}

const invalidGrant = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
const NOT_OURS = invalidGrant('the subject_token is not a valid access token of this issuer');

describe('the order service exchanges a user token', () => {
  test('for payments: an RFC 9068 JWT with aud payments, scope payments, the user as sub and the order service as act.sub', async () => {
    const { status, body } = await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments' });
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: 300, scope: 'payments' });
    const token = body.access_token as string;
    const { payload, protectedHeader } = await verifyAt(token, 'payments');
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toEqual({
      iss: fleet.tessera.url,
      aud: 'payments',
      sub: userSub,
      client_id: 'orders-service',
      scope: 'payments',
      act: { sub: 'orders-service' },
      jti: expect.stringMatching(/^[\w-]{20,}$/),
      iat: expect.any(Number),
      exp: payload.iat! + 300,
      grant_ref: expect.stringMatching(/^[\w-]{22}$/),
    });
    await expect(verifyAt(token, 'orders')).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  test('by resource indicator, without a scope (all that is allowed), as a JWT when asked for one', async () => {
    const { status, body } = await exchange(fleet, 'orders-service', userToken, {
      resource: 'https://payments.example.com',
      requested_token_type: JWT_TOKEN_TYPE,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ issued_token_type: JWT_TOKEN_TYPE, token_type: 'Bearer', scope: 'payments' });
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: 'payments', scope: 'payments', sub: userSub });
  });

  test('a broader scope than allowed is invalid_scope', async () => {
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments orders' })).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'scope orders is not allowed for audience payments' },
    });
  });

  test('a scope the policy allows but the subject token lacks is invalid_scope', async () => {
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'geolocation', scope: 'geo:read' })).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'scope geo:read is not allowed for audience geolocation' },
    });
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'geolocation' })).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'the subject_token carries no scope allowed for audience geolocation' },
    });
  });

  test('an audience outside the policy, or no resource server at all, is invalid_target', async () => {
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'legacy', scope: 'payments' })).toEqual({
      status: 400,
      body: { error: 'invalid_target', error_description: 'this client may not exchange tokens for audience legacy' },
    });
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'nowhere' })).toEqual({
      status: 400,
      body: { error: 'invalid_target', error_description: 'no resource server is nowhere' },
    });
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'payments', resource: 'https://geo.example.com' })).toEqual({
      status: 400,
      body: { error: 'invalid_target', error_description: 'no resource server is payments' },
    });
  });

  test('the lifetime is cut to what remains of the subject token', async () => {
    const exp = now() + 40;
    const { status, body } = await exchange(fleet, 'orders-service', await ordersToken({ exp }), { audience: 'payments' });
    expect(status).toBe(200);
    expect(body.expires_in).toBeLessThanOrEqual(40);
    expect(decodeJwt(body.access_token as string).exp).toBeLessThanOrEqual(exp);
  });
});

describe('a subject token that is not a valid access token of this issuer is invalid_grant', () => {
  test('tampered', async () => {
    const [header, payload, signature] = userToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'orders payments geo:read' })).toString('base64url');
    expect(await exchange(fleet, 'orders-service', `${header}.${forged}.${signature}`, { audience: 'geolocation' })).toEqual(NOT_OURS);
  });

  test('expired', async () => {
    expect(await exchange(fleet, 'orders-service', await ordersToken({ iat: now() - 600, exp: now() - 1 }), { audience: 'payments' })).toEqual(
      invalidGrant('the subject_token has expired'),
    );
  });

  test("signed by another key, or by this issuer's key for another issuer", async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = decodeProtectedHeader(userToken).kid!;
    const foreign = await new SignJWT({ ...decodeJwt(userToken) }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    expect(await exchange(fleet, 'orders-service', foreign, { audience: 'payments' })).toEqual(NOT_OURS);
    expect(await exchange(fleet, 'orders-service', await ordersToken({ iss: 'https://elsewhere.example.com' }), { audience: 'payments' })).toEqual(NOT_OURS);
  });

  test('an ID token (not typ at+jwt), an unknown opaque value, or an opaque value given as a JWT', async () => {
    const idToken = (await signIn(fleet, 'openid orders')).id_token!;
    expect(await exchange(fleet, 'orders-service', idToken, { audience: 'payments' })).toEqual(NOT_OURS);
    expect(await exchange(fleet, 'orders-service', 'no-such-token-0123456789', { audience: 'payments' })).toEqual(NOT_OURS);
    expect(await exchange(fleet, 'orders-service', 'no-such-token-0123456789', { audience: 'payments', subject_token_type: JWT_TOKEN_TYPE })).toEqual(
      invalidGrant('the subject_token is not a JWT'),
    );
  });

  test("a token for another audience than the client's own (a stolen or replayed token) is refused", async () => {
    const forPayments = (await exchange(fleet, 'orders-service', userToken, { audience: 'payments' })).body.access_token as string;
    expect(await exchange(fleet, 'orders-service', forPayments, { audience: 'payments' })).toEqual(
      invalidGrant('the subject_token is not for an audience this client may exchange tokens of'),
    );
  });
});

describe('delegation', () => {
  test('a second hop nests the earlier actor: act { sub: payment service, act: { sub: order service } }', async () => {
    const forPayments = (await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments' })).body.access_token as string;
    const { status, body } = await exchange(fleet, 'payments-service', forPayments, { audience: 'payment-gateway', scope: 'payments' });
    expect(status).toBe(200);
    const { payload } = await verifyAt(body.access_token as string, 'payment-gateway');
    expect(payload).toMatchObject({
      sub: userSub,
      client_id: 'payments-service',
      scope: 'payments',
      aud: 'payment-gateway',
      act: { sub: 'payments-service', act: { sub: 'orders-service' } },
    });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  test('with an actor_token of a client the policy names (actors), the actor is its subject', async () => {
    const actorToken = await serviceToken(fleet, 'batch-service', { resource: ORDERS, scope: 'orders' });
    const { status, body } = await exchange(fleet, 'orders-service', userToken, {
      audience: 'payments',
      actor_token: actorToken,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: userSub, client_id: 'orders-service', act: { sub: 'batch-service' } });
  });

  test('an invalid actor_token is invalid_grant', async () => {
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'payments', actor_token: 'nope', actor_token_type: ACCESS_TOKEN_TYPE })).toEqual(
      invalidGrant('the actor_token is not a valid access token of this issuer'),
    );
  });

  test('may_act in the subject token is enforced', async () => {
    expect(await exchange(fleet, 'orders-service', await ordersToken({ may_act: { sub: 'payments-service' } }), { audience: 'payments' })).toEqual(
      invalidGrant('the subject_token does not allow this actor (may_act)'),
    );
    const allowed = await exchange(fleet, 'orders-service', await ordersToken({ may_act: { sub: 'orders-service' } }), { audience: 'payments' });
    expect(allowed.status).toBe(200);
    expect(decodeJwt(allowed.body.access_token as string).act).toEqual({ sub: 'orders-service' });
  });

  test('a client without delegation impersonates (no act), from an opaque subject token, and may not send an actor_token', async () => {
    const opaque = await serviceToken(fleet, 'reports-service', { resource: 'https://legacy.example.com', scope: 'payments' });
    expect(opaque).not.toContain('.');
    const { status, body } = await exchange(fleet, 'reports-service', opaque, { audience: 'payments' });
    expect(status).toBe(200);
    const { payload } = await verifyAt(body.access_token as string, 'payments');
    expect(payload).toEqual({
      iss: fleet.tessera.url,
      aud: 'payments',
      sub: 'reports-service',
      client_id: 'reports-service',
      scope: 'payments',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: payload.iat! + 300,
    });
    expect(await exchange(fleet, 'reports-service', opaque, { audience: 'payments', actor_token: opaque, actor_token_type: ACCESS_TOKEN_TYPE })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'this client may not act as a delegate: actor_token is not allowed' },
    });
  });
});

describe('requests the grant refuses', () => {
  const invalidRequest = (description: string) => ({ status: 400, body: { error: 'invalid_request', error_description: description } });

  test('missing or unsupported parameters are invalid_request', async () => {
    expect(await tokenRequest(fleet, 'orders-service', { grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN_TYPE, audience: 'payments' })).toEqual(
      invalidRequest("missing required parameter 'subject_token'"),
    );
    expect(await tokenRequest(fleet, 'orders-service', { grant_type: TOKEN_EXCHANGE, subject_token: userToken, audience: 'payments' })).toEqual(
      invalidRequest("missing required parameter 'subject_token_type'"),
    );
    expect(
      await exchange(fleet, 'orders-service', userToken, { audience: 'payments', subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
    ).toEqual(invalidRequest(`unsupported subject_token_type: use ${ACCESS_TOKEN_TYPE} or ${JWT_TOKEN_TYPE}`));
    expect(
      await exchange(fleet, 'orders-service', userToken, { audience: 'payments', requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
    ).toEqual(invalidRequest(`unsupported requested_token_type: use ${ACCESS_TOKEN_TYPE} or ${JWT_TOKEN_TYPE}`));
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'payments', actor_token: userToken })).toEqual(
      invalidRequest("missing required parameter 'actor_token_type'"),
    );
    expect(await exchange(fleet, 'orders-service', userToken, { audience: 'payments', actor_token_type: ACCESS_TOKEN_TYPE })).toEqual(
      invalidRequest('actor_token_type given without actor_token'),
    );
    expect(await exchange(fleet, 'orders-service', userToken)).toEqual(invalidRequest('an audience or a resource is required'));
  });

  test('a repeated parameter is invalid_request, not a server error', async () => {
    const response = await fetch(`${fleet.tessera.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`orders-service:${SECRETS['orders-service']}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}&subject_token=${userToken}&subject_token_type=${encodeURIComponent(ACCESS_TOKEN_TYPE)}&audience=payments&audience=geolocation`,
    });
    expect({ status: response.status, body: await response.json() }).toEqual(invalidRequest("'audience' parameter must not be provided twice"));
  });

  test('a client without a token_exchange policy is unauthorized_client', async () => {
    const refused = { status: 400, body: { error: 'unauthorized_client', error_description: 'this client may not use the token-exchange grant' } };
    expect(await exchange(fleet, 'batch-service', userToken, { audience: 'payments' })).toEqual(refused);
    expect(await exchange(fleet, 'webapp', userToken, { audience: 'payments' })).toEqual(refused);
  });

  test('discovery lists the grant', async () => {
    const metadata = (await (await fetch(`${fleet.tessera.url}/.well-known/openid-configuration`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE);
  });
});

test('token.exchanged and token.exchange_refused: every exchange is an audit event, with client, subject, actor, target and scope, and no token value', async () => {
  const before = fleet.tessera.logs().length;
  const issued = await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments' });
  await exchange(fleet, 'orders-service', userToken, { audience: 'payments', scope: 'payments orders' });
  // Routine lines are written in batches: wait for both lines, not for a fixed pause.
  const exchangeLines = (): Record<string, unknown>[] =>
    fleet.tessera
      .logs()
      .slice(before)
      .filter((l) => String(l.event).startsWith('token.exchange'));
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && exchangeLines().length < 2; ) await new Promise((resolve) => setTimeout(resolve, 20));
  const events = exchangeLines();
  expect(events).toEqual([
    {
      level: 'info',
      time: expect.any(String),
      service: 'tessera',
      event: 'token.exchanged',
      audit: true,
      actor: 'client:orders-service',
      target: 'audience:payments',
      outcome: 'issued',
      requestId: expect.any(String),
      client_id: 'orders-service',
      sub: userSub,
      act: { sub: 'orders-service' },
      audience: 'payments',
      scope: 'payments',
      expires_in: 300,
      msg: 'token.exchanged client:orders-service → audience:payments: issued',
    },
    {
      level: 'warn',
      time: expect.any(String),
      service: 'tessera',
      event: 'token.exchange_refused',
      audit: true,
      actor: 'client:orders-service',
      target: 'audience:payments',
      outcome: 'refused',
      requestId: expect.any(String),
      client_id: 'orders-service',
      sub: userSub,
      audience: 'payments',
      scope: 'payments orders',
      error: 'invalid_scope',
      error_description: 'scope orders is not allowed for audience payments',
      msg: 'token.exchange_refused client:orders-service → audience:payments: refused',
    },
  ]);
  const output = fleet.tessera.output();
  expect(output).not.toContain(userToken.split('.')[2]);
  expect(output).not.toContain((issued.body.access_token as string).split('.')[2]);
});
