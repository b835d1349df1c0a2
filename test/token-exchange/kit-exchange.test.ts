import { createVerifier, createTokenExchange, ResourceServerConfigError, TokenExchangeError } from '../../src/resource-server/index.ts';
import type { FetchLike, TokenExchangeOptions } from '../../src/resource-server/index.ts';
import { freePort } from '../support/redis-server.ts';
import { SECRETS, signIn, startFleet } from './support/exchange-fixture.ts';
import type { Fleet } from './support/exchange-fixture.ts';

let fleet: Fleet;
let userToken: string;
let tokenRequests: number;

const countingFetch: FetchLike = (url, init) => {
  if (init.method === 'POST') tokenRequests += 1;
  return fetch(url, init);
};

beforeAll(async () => {
  fleet = await startFleet();
  userToken = (await signIn(fleet, 'openid orders payments credit:read')).access_token;
});

afterAll(async () => {
  await fleet.tessera.stop();
});

beforeEach(() => {
  tokenRequests = 0;
});

const exchanger = (options: Partial<TokenExchangeOptions> = {}) =>
  createTokenExchange({
    authority: fleet.tessera.url,
    clientId: 'orders-service',
    clientSecret: SECRETS['orders-service']!,
    fetch: countingFetch,
    ...options,
  });

test('exchanges a token the target verifies, then serves it from the cache for the same subject, audience and scope', async () => {
  const kit = exchanger();
  const first = await kit.exchange({ subjectToken: userToken, audience: 'payments', scope: 'payments' });
  expect(first).toEqual({
    accessToken: expect.any(String),
    tokenType: 'Bearer',
    issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
    scope: 'payments',
    expiresAt: expect.any(Number),
  });
  await expect(createVerifier({ authority: fleet.tessera.url, audience: 'payments' }).verify(first.accessToken)).resolves.toMatchObject({
    aud: 'payments',
    scope: 'payments',
    act: { sub: 'orders-service' },
  });
  expect(await kit.exchange({ subjectToken: userToken, audience: 'payments', scope: 'payments' })).toBe(first);
  expect(tokenRequests).toBe(1);

  const unscoped = await kit.exchange({ subjectToken: userToken, audience: 'payments' });
  const other = await kit.exchange({ subjectToken: (await signIn(fleet)).access_token, audience: 'payments', scope: 'payments' });
  expect(new Set([first.accessToken, unscoped.accessToken, other.accessToken]).size).toBe(3);
  expect(tokenRequests).toBe(3);
});

test('concurrent calls for the same token share one request', async () => {
  const kit = exchanger();
  const results = await Promise.all(Array.from({ length: 5 }, () => kit.exchange({ subjectToken: userToken, audience: 'payments' })));
  expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  expect(tokenRequests).toBe(1);
});

test('a token within refreshBefore of its expiry is not handed out again', async () => {
  const kit = exchanger({ refreshBefore: 30 });
  const first = await kit.exchange({ subjectToken: userToken, audience: 'credit-rating', scope: 'credit:read' });
  expect(first.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(20);
  const second = await kit.exchange({ subjectToken: userToken, audience: 'credit-rating', scope: 'credit:read' });
  expect(second.accessToken).not.toBe(first.accessToken);
  expect(tokenRequests).toBe(2);
});

test('a refusal is a TokenExchangeError with the OAuth error code, and is never cached', async () => {
  const kit = exchanger();
  for (let i = 0; i < 2; i++) {
    const err = await kit.exchange({ subjectToken: userToken, audience: 'payments', scope: 'payments orders' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenExchangeError);
    expect(err).toMatchObject({
      code: 'ERR_TOKEN_EXCHANGE',
      error: 'invalid_scope',
      status: 400,
      error_description: 'scope orders is not allowed for audience payments',
    });
  }
  expect(tokenRequests).toBe(2);
  await expect(kit.exchange({ subjectToken: userToken, audience: 'legacy' })).rejects.toMatchObject({ error: 'invalid_target', status: 400 });
  await expect(kit.exchange({ subjectToken: 'not-a-token', audience: 'payments' })).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
});

test('wrong client credentials are invalid_client; an unreachable Tessera is temporarily_unavailable', async () => {
  await expect(exchanger({ clientSecret: 'wrong' }).exchange({ subjectToken: userToken, audience: 'payments' })).rejects.toMatchObject({
    error: 'invalid_client',
    status: 401,
    error_description: 'client authentication failed',
  });
  const nowhere = `http://127.0.0.1:${await freePort()}`;
  await expect(exchanger({ authority: nowhere }).exchange({ subjectToken: userToken, audience: 'payments' })).rejects.toMatchObject({
    error: 'temporarily_unavailable',
    status: undefined,
  });
  await expect(exchanger({ tokenEndpoint: `${nowhere}/token` }).exchange({ subjectToken: userToken, audience: 'payments' })).rejects.toMatchObject({
    error: 'temporarily_unavailable',
    status: undefined,
  });
});

test('bad options are refused at once, each named', () => {
  expect(() => createTokenExchange({ authority: 'http://id.example.com', clientId: '', clientSecret: '', timeout: -1 })).toThrow(
    expect.objectContaining({
      name: ResourceServerConfigError.name,
      problems: [
        'authority: must be the https URL of the issuer (http only on loopback or with allowInsecureHttp)',
        "clientId, clientSecret: this resource server's client credentials are required",
        'timeout: must be a number ≥ 0',
      ],
    }),
  );
});
