import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { decodeJwt } from 'jose';
import Koa from 'koa';

import { createTokenExchange, createVerifier, koaBearerAuth, TokenExchangeError } from '../../src/resource-server/index.ts';
import type { BearerAuthState } from '../../src/resource-server/index.ts';
import { SECRETS, signIn, startFleet } from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

let fleet: Fleet;
let orders: string;
let payments: string;
const servers: Server[] = [];
/** The bearer tokens the payment service received. */
const paymentTokens: string[] = [];

async function listen(app: Koa<BearerAuthState>): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((ready) => server.once('listening', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Resource server B, the payment service: accepts tokens for `payments` with scope `payments`. */
function startPaymentService(): Promise<string> {
  const app = new Koa<BearerAuthState>();
  const guard = koaBearerAuth({ verifier: createVerifier({ authority: fleet.tessera.url, audience: 'payments' }), scope: 'payments' });
  app.use((ctx, next) =>
    guard(ctx, async () => {
      paymentTokens.push(ctx.get('authorization').slice('Bearer '.length));
      ctx.body = { charged: ctx.state.auth.sub, auth: ctx.state.auth };
      await next();
    }),
  );
  return listen(app);
}

/** Resource server A, the order service: accepts the browser app's token, exchanges it to call the payment service. */
function startOrderService(): Promise<string> {
  const app = new Koa<BearerAuthState>();
  const guard = koaBearerAuth({ verifier: createVerifier({ authority: fleet.tessera.url, audience: 'orders' }), scope: 'orders' });
  const exchanger = createTokenExchange({ authority: fleet.tessera.url, clientId: 'orders-service', clientSecret: SECRETS['orders-service']! });
  app.use((ctx, next) =>
    guard(ctx, async () => {
      try {
        const subjectToken = ctx.get('authorization').replace(/^Bearer +/i, '');
        const { accessToken } = await exchanger.exchange({ subjectToken, audience: 'payments', scope: 'payments' });
        const payment = await fetch(`${payments}/charge`, { headers: { authorization: `Bearer ${accessToken}` } });
        ctx.body = { order: ctx.state.auth.sub, payment: { status: payment.status, body: (await payment.json()) as unknown } };
      } catch (err) {
        if (!(err instanceof TokenExchangeError)) throw err;
        ctx.status = 502;
        ctx.body = { error: err.error };
      }
      await next();
    }),
  );
  return listen(app);
}

beforeAll(async () => {
  fleet = await startFleet();
  payments = await startPaymentService();
  orders = await startOrderService();
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await fleet.tessera.stop();
});

const call = async (url: string, token: string) => {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('browser app → order service → (exchange) → payment service: B accepts the exchanged token and refuses the original', async () => {
  const tokens = await signIn(fleet, 'openid orders payments');
  const userSub = decodeJwt(tokens.access_token).sub;

  const checkout = await call(`${orders}/checkout`, tokens.access_token);
  expect(checkout).toEqual({
    status: 200,
    body: {
      order: userSub,
      payment: {
        status: 200,
        body: {
          charged: userSub,
          auth: {
            iss: fleet.tessera.url,
            aud: 'payments',
            sub: userSub,
            client_id: 'orders-service',
            scope: 'payments',
            act: { sub: 'orders-service' },
            jti: expect.any(String),
            iat: expect.any(Number),
            exp: expect.any(Number),
            grant_ref: expect.any(String),
          },
        },
      },
    },
  });

  const invalidToken = { status: 401, body: { error: 'invalid_token', error_description: 'the access token is invalid' } };
  expect(await call(`${payments}/charge`, tokens.access_token)).toEqual(invalidToken);
  const exchanged = paymentTokens.at(-1)!;
  expect(exchanged).not.toBe(tokens.access_token);
  expect(await call(`${orders}/checkout`, exchanged)).toEqual(invalidToken);

  // The second checkout with the same token reuses the exchanged token.
  await call(`${orders}/checkout`, tokens.access_token);
  expect(paymentTokens.at(-1)).toBe(exchanged);
});

test('a user token without the payments scope cannot be exchanged for payments: the order service sees invalid_scope', async () => {
  const tokens = await signIn(fleet, 'openid orders');
  expect(await call(`${orders}/checkout`, tokens.access_token)).toEqual({ status: 502, body: { error: 'invalid_scope' } });
});
