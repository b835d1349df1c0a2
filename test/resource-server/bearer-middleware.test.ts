import { SignJWT } from 'jose';

import type { KitEvent } from '../../src/resource-server/index.ts';
import { createVerifier } from '../../src/resource-server/index.ts';
import { FRAMEWORKS } from './support/protected-apps.ts';
import type { ProtectedApp } from './support/protected-apps.ts';
import { makeKey, startTestIssuer } from './support/test-issuer.ts';
import type { IssuerKey, TestIssuer } from './support/test-issuer.ts';

const REALM = 'Bearer realm="resource_server"';
/** The DPoP challenge (RFC 9449 §7.2) that follows the Bearer one: DPoP is understood by default. */
const DPOP = ', DPoP realm="resource_server", algs="ES256 EdDSA Ed25519"';
const INVALID = {
  status: 401,
  challenge: `${REALM}, error="invalid_token", error_description="the access token is invalid"${DPOP}`,
  body: { error: 'invalid_token', error_description: 'the access token is invalid' },
};

interface Answer {
  status: number;
  challenge: string | null;
  type: string | null;
  body: unknown;
}

let issuer: TestIssuer;
let es256: IssuerKey;
let rs256: IssuerKey;

beforeAll(async () => {
  [es256, rs256] = await Promise.all([makeKey('ES256'), makeKey('RS256')]);
  issuer = await startTestIssuer([es256, rs256]);
});

afterAll(() => issuer.close());

describe.each(FRAMEWORKS)('%s middleware over HTTP', (_name, start) => {
  let app: ProtectedApp;
  let events: KitEvent[];

  beforeAll(async () => {
    events = [];
    const verifier = createVerifier({ authority: issuer.url, audience: 'resource_server' });
    app = await start({ verifier, scope: 'api:read', logger: (event) => events.push(event) });
  });

  afterAll(() => app.close());

  beforeEach(() => {
    events.length = 0;
  });

  async function call(headers: Record<string, string> = {}, query = ''): Promise<Answer> {
    const response = await fetch(`${app.url}/orders${query}`, { headers });
    const text = await response.text();
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate'),
      type: response.headers.get('content-type'),
      body: text === '' ? '' : JSON.parse(text),
    };
  }

  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const reasons = (): string[] => events.flatMap((e) => (e.event === 'token.rejected' ? [e.reason] : []));

  async function expectInvalid(token: string, reason: string): Promise<void> {
    const answer = await call(bearer(token));
    expect(answer).toEqual({ status: INVALID.status, challenge: INVALID.challenge, type: 'application/json; charset=utf-8', body: INVALID.body });
    expect(reasons()).toEqual([reason]);
  }

  test('a valid token (ES256 and RS256) gets 200 and its claims; once warm, no request reaches the issuer', async () => {
    const token = await issuer.sign(es256, { jti: 'token-1' });
    const answer = await call(bearer(token));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      auth: {
        iss: issuer.url,
        aud: 'resource_server',
        sub: 'user-42',
        client_id: 'orders-app',
        scope: 'api:read api:write',
        jti: 'token-1',
        iat: expect.any(Number),
        exp: expect.any(Number),
      },
    });
    const before = { ...issuer.fetches };
    for (let i = 0; i < 20; i++) {
      expect((await call(bearer(await issuer.sign(i % 2 ? es256 : rs256)))).status).toBe(200);
    }
    expect(issuer.fetches).toEqual(before);
    expect(events).toEqual([]);
  });

  test('the scheme is case-insensitive and may be followed by several spaces', async () => {
    const token = await issuer.sign(es256);
    expect((await call({ authorization: `bearer ${token}` })).status).toBe(200);
    expect((await call({ authorization: `BEARER   ${token}` })).status).toBe(200);
  });

  test('no token: 401 with a bare challenge and no body', async () => {
    expect(await call()).toEqual({ status: 401, challenge: `${REALM}${DPOP}`, type: null, body: '' });
    expect(await call({ authorization: 'Basic b3JkZXJzOnNlY3JldA==' })).toEqual({ status: 401, challenge: `${REALM}${DPOP}`, type: null, body: '' });
    expect(reasons()).toEqual(['missing_token', 'missing_token']);
  });

  test('a token that is not a JWT, or a tampered signature: 401 invalid_token', async () => {
    await expectInvalid('not-a-jwt', 'malformed');
    events.length = 0;
    const [header, payload, signature] = (await issuer.sign(es256)).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'api:read admin' })).toString('base64url');
    await expectInvalid(`${header}.${forged}.${signature}`, 'bad_signature');
  });

  test('expired (beyond the 5 s tolerance): 401 saying so', async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await call(bearer(await issuer.sign(es256, { iat: now - 600, exp: now - 10 })));
    expect(answer).toEqual({
      status: 401,
      challenge: `${REALM}, error="invalid_token", error_description="the access token has expired"${DPOP}`,
      type: 'application/json; charset=utf-8',
      body: { error: 'invalid_token', error_description: 'the access token has expired' },
    });
    expect(reasons()).toEqual(['expired']);
  });

  test('another audience, another issuer: 401 invalid_token', async () => {
    await expectInvalid(await issuer.sign(es256, { aud: 'payments' }), 'audience_mismatch');
    events.length = 0;
    await expectInvalid(await issuer.sign(es256, { iss: `${issuer.url}/` }), 'issuer_mismatch');
  });

  test('an ID token (typ JWT) used as an access token: 401 invalid_token', async () => {
    await expectInvalid(await issuer.sign(es256, { aud: 'orders-app', nonce: 'n-1' }, { typ: 'JWT' }), 'wrong_type');
    events.length = 0;
    await expectInvalid(await issuer.sign(es256, {}, { typ: undefined }), 'wrong_type');
  });

  test('alg none and HS256 are refused before any key is looked up', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${(await issuer.sign(es256)).split('.')[1]}.`;
    await expectInvalid(unsigned, 'algorithm_not_allowed');
    events.length = 0;
    const hs256 = await new SignJWT({ sub: 'user-42' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: es256.kid })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await expectInvalid(hs256, 'algorithm_not_allowed');
  });

  test('a token without the required scope: 403 insufficient_scope naming the scope', async () => {
    const answer = await call(bearer(await issuer.sign(es256, { scope: 'api:write' })));
    expect(answer).toEqual({
      status: 403,
      challenge: `${REALM}, error="insufficient_scope", error_description="the access token does not grant the scope this resource requires", scope="api:read"${DPOP}`,
      type: 'application/json; charset=utf-8',
      body: { error: 'insufficient_scope', error_description: 'the access token does not grant the scope this resource requires' },
    });
    expect(events).toEqual([
      { event: 'token.rejected', reason: 'insufficient_scope', status: 403, detail: 'the token grants "api:write"; the resource requires "api:read"' },
    ]);
    expect((await call(bearer(await issuer.sign(es256, { scope: undefined })))).status).toBe(403);
  });

  test('a token in the header and the query, or in the query only, or a bad header: 400 invalid_request', async () => {
    const token = await issuer.sign(es256);
    const invalidRequest = (description: string): Answer => ({
      status: 400,
      challenge: `${REALM}, error="invalid_request", error_description="${description}"${DPOP}`,
      type: 'application/json; charset=utf-8',
      body: { error: 'invalid_request', error_description: description },
    });
    expect(await call(bearer(token), `?access_token=${token}`)).toEqual(invalidRequest('the request carries more than one access token'));
    expect(await call({}, `?access_token=${token}`)).toEqual(invalidRequest('the access token must be sent in the Authorization header'));
    expect(await call({ authorization: `Bearer ${token} ${token}` })).toEqual(invalidRequest('the Authorization header is not a valid Bearer credential'));
    expect(await call({ authorization: 'Bearer' })).toEqual(invalidRequest('the Authorization header is not a valid Bearer credential'));
    expect(reasons()).toEqual(['multiple_tokens', 'query_token_not_allowed', 'malformed_authorization', 'malformed_authorization']);
  });
});

test.each(FRAMEWORKS)('%s: the query token is accepted when allowed; issuer unreachable gives 503 without a challenge', async (_name, start) => {
  const token = await issuer.sign(es256);
  const reachable = await start({ verifier: createVerifier({ authority: issuer.url }), allowQueryToken: true, realm: 'orders' });
  const unreachable = await start({ verifier: createVerifier({ authority: 'http://127.0.0.1:9', timeout: 2 }) });
  try {
    expect((await fetch(`${reachable.url}/orders?access_token=${token}`)).status).toBe(200);
    const noToken = await fetch(`${reachable.url}/orders`);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="orders", DPoP realm="orders", algs="ES256 EdDSA Ed25519"');

    const answer = await fetch(`${unreachable.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(await answer.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'the access token cannot be verified now; try again later' });
  } finally {
    await Promise.all([reachable.close(), unreachable.close()]);
  }
});
