import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { exportJWK, importJWK, importPKCS8 } from 'jose';
import type { JWK } from 'jose';

import { createVerifier, ResourceServerConfigError } from '../../src/resource-server/index.ts';
import type { KitEvent, Verifier, VerifierOptions } from '../../src/resource-server/index.ts';
import { makeKeyAndCertificate } from '../support/openssl.ts';
import { tempDir } from '../support/tessera.ts';
import { makeKey, signAccessToken, startTestIssuer } from './support/test-issuer.ts';
import type { IssuerKey } from './support/test-issuer.ts';

const AUTHORITY = 'https://id.example.com';
let es256: IssuerKey;
let rs256: IssuerKey;
let verifier: Verifier;

beforeAll(async () => {
  [es256, rs256] = await Promise.all([makeKey('ES256'), makeKey('RS256')]);
  verifier = createVerifier({ authority: AUTHORITY, jwks: { keys: [es256.publicJwk, rs256.publicJwk] } });
});

const now = (): number => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown> = {}, header = {}, key = es256): Promise<string> => signAccessToken(key, AUTHORITY, claims, header);

function problems(options: VerifierOptions): readonly string[] {
  try {
    createVerifier(options);
  } catch (err) {
    if (err instanceof ResourceServerConfigError) return err.problems;
    throw err;
  }
  throw new Error('createVerifier accepted the options');
}

async function reason(token: string, by: Verifier = verifier): Promise<string> {
  try {
    await by.verify(token);
  } catch (err) {
    return (err as { reason: string }).reason;
  }
  return 'accepted';
}

test('bad options are all named at once', () => {
  expect(
    problems({
      authority: 'id.example.com',
      audience: '',
      algorithms: ['ES256', 'HS256', 'none'],
      clockTolerance: -1,
      cooldown: Number.NaN,
      jwks: { keys: [] },
      publicCertPath: '/nonexistent/signing.crt',
    }),
  ).toEqual([
    'algorithms: HS256, none cannot verify tokens with public keys; use some of ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA, Ed25519',
    'jwks, publicCertPath: give at most one source of pinned keys',
    'authority: must be the issuer URL, e.g. https://id.example.com',
    'audience: must be a non-empty string',
    'clockTolerance: must be a number of seconds ≥ 0',
    'cooldown: must be a number of seconds ≥ 0',
  ]);
  expect(problems({ authority: 'http://tessera:3000' })).toEqual([
    'authority: http://tessera:3000 is not https; plain http is allowed only on loopback or with allowInsecureHttp',
  ]);
  expect(() => createVerifier({ authority: 'http://tessera:3000', allowInsecureHttp: true })).not.toThrow();
  expect(problems({ authority: AUTHORITY, publicCertPath: '/nonexistent/signing.crt' })).toEqual([
    "publicCertPath: ENOENT: no such file or directory, open '/nonexistent/signing.crt'",
  ]);
  expect(problems({ authority: AUTHORITY, algorithms: ['ES256'], jwks: { keys: [rs256.publicJwk] } })).toEqual(['jwks: no key verifies any of ES256']);
  expect(problems({ authority: AUTHORITY, algorithms: [] })).toEqual([
    'algorithms: is empty; use some of ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA, Ed25519',
  ]);
});

test('verify returns the claims of a valid token', async () => {
  const token = await sign({ jti: 'j-1', aud: ['payments', 'resource_server'], act: { sub: 'gateway' } });
  await expect(verifier.verify(token)).resolves.toEqual({
    iss: AUTHORITY,
    aud: ['payments', 'resource_server'],
    sub: 'user-42',
    client_id: 'orders-app',
    scope: 'api:read api:write',
    jti: 'j-1',
    iat: expect.any(Number),
    exp: expect.any(Number),
    act: { sub: 'gateway' },
  });
  expect(await reason(await sign({}, {}, rs256))).toBe('accepted');
});

test('typ at+jwt in any case, with or without the application/ prefix; anything else is wrong_type', async () => {
  expect(await reason(await sign({}, { typ: 'application/at+jwt' }))).toBe('accepted');
  expect(await reason(await sign({}, { typ: 'AT+JWT' }))).toBe('accepted');
  expect(await reason(await sign({}, { typ: 'JWT' }))).toBe('wrong_type');
  expect(await reason(await sign({}, { typ: 'application/jwt' }))).toBe('wrong_type');
});

test('exp, nbf and iat are checked with the clock tolerance', async () => {
  expect(await reason(await sign({ exp: now() - 3 }))).toBe('accepted');
  expect(await reason(await sign({ exp: now() - 7 }))).toBe('expired');
  const strict = createVerifier({ authority: AUTHORITY, jwks: { keys: [es256.publicJwk] }, clockTolerance: 0 });
  expect(await reason(await sign({ exp: now() - 3 }), strict)).toBe('expired');
  expect(await reason(await sign({ nbf: now() + 3 }))).toBe('accepted');
  expect(await reason(await sign({ nbf: now() + 30 }))).toBe('not_yet_valid');
  expect(await reason(await sign({ iat: now() + 3 }))).toBe('accepted');
  expect(await reason(await sign({ iat: now() + 30 }))).toBe('not_yet_valid');
});

test('the claims RFC 9068 requires must be present and well typed', async () => {
  for (const claim of ['iss', 'aud', 'exp', 'iat', 'jti', 'sub', 'client_id']) {
    expect([claim, await reason(await sign({ [claim]: undefined }))]).toEqual([claim, 'missing_claim']);
  }
  expect(await reason(await sign({ sub: 42 }))).toBe('invalid_claim');
  expect(await reason(await sign({ client_id: ['a'] }))).toBe('invalid_claim');
  expect(await reason(await sign({ scope: ['api:read'] }))).toBe('invalid_claim');
  expect(await reason(await sign({ exp: 'tomorrow' }))).toBe('invalid_claim');
});

test('keys: chosen by kid and alg; a token without kid only when one key fits', async () => {
  expect(await reason(await sign({}, { kid: undefined }))).toBe('accepted');
  expect(await reason(await sign({}, { kid: rs256.kid }))).toBe('unknown_key');
  expect(await reason(await sign({}, { kid: 'other' }))).toBe('unknown_key');
  const second = await makeKey('ES256');
  const two = createVerifier({ authority: AUTHORITY, jwks: { keys: [es256.publicJwk, second.publicJwk] } });
  expect(await reason(await sign({}, { kid: undefined }), two)).toBe('unknown_key');
  expect(await reason(await sign({}, {}, second), two)).toBe('accepted');
  const esOnly = createVerifier({ authority: AUTHORITY, algorithms: ['ES256'], jwks: { keys: [es256.publicJwk, rs256.publicJwk] } });
  expect(await reason(await sign({}, {}, rs256), esOnly)).toBe('algorithm_not_allowed');
  await expect(verifier.verify(undefined as unknown as string)).rejects.toMatchObject({ reason: 'malformed', status: 401, error: 'invalid_token' });
});

test('unusable or inconsistent published keys are skipped and reported', async () => {
  const dir = tempDir('tessera-rs-');
  const { key: keyFile, cert } = makeKeyAndCertificate(dir, 'signing', 'ec');
  const certificate = new X509Certificate(readFileSync(cert));
  const x5c = [certificate.raw.toString('base64')];
  const withCertificate: IssuerKey = { ...es256, kid: 'with-cert', privateKey: await importPKCS8(readFileSync(keyFile, 'utf8'), 'ES256') };
  const certified = { ...(certificate.publicKey.export({ format: 'jwk' }) as JWK), kid: 'with-cert', x5c };
  const weak = await exportJWK(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
  const leaked = await exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const events: KitEvent[] = [];
  const loaded = createVerifier({
    authority: AUTHORITY,
    logger: (e) => events.push(e),
    jwks: {
      keys: [
        certified,
        { ...es256.publicJwk, x5c },
        { ...rs256.publicJwk, kid: 'weak', ...weak },
        { ...es256.publicJwk, kid: 'enc', use: 'enc' },
        { ...es256.publicJwk, kid: 'with-cert' },
        { ...es256.publicJwk, kid: 'thumbprint', 'x5t#S256': 'abc' },
        { ...leaked, kid: 'leaked' },
      ],
    },
  });
  await loaded.ready();
  expect(events).toEqual([
    { event: 'jwks.key_skipped', kid: es256.kid, detail: 'x5c certificate holds another key' },
    { event: 'jwks.key_skipped', kid: 'weak', detail: 'RSA modulus is shorter than 2048 bits' },
    { event: 'jwks.key_skipped', kid: 'enc', detail: '"use" is "enc", not "sig"' },
    { event: 'jwks.key_skipped', kid: 'with-cert', detail: 'another key has the same kid' },
    { event: 'jwks.key_skipped', kid: 'thumbprint', detail: 'x5t#S256 without x5c' },
  ]);
  expect(await reason(await sign({}, {}, withCertificate), loaded)).toBe('accepted');
  expect(await reason(await sign(), loaded)).toBe('unknown_key');
  const leakedKey: IssuerKey = { ...es256, kid: 'leaked', privateKey: (await importJWK(leaked, 'ES256')) as CryptoKey };
  expect(await reason(await sign({}, {}, leakedKey), loaded)).toBe('accepted');
});

test('a discovery document naming another issuer is not trusted', async () => {
  const issuer = await startTestIssuer([es256]);
  const events: KitEvent[] = [];
  try {
    const slash = createVerifier({ authority: `${issuer.url}/`, logger: (e) => events.push(e) });
    await expect(slash.ready()).rejects.toMatchObject({ reason: 'jwks_unavailable' });
    expect(events).toEqual([
      {
        event: 'jwks.fetch_failed',
        uri: `${issuer.url}/`,
        detail: `${issuer.url}/.well-known/openid-configuration names issuer "${issuer.url}", not "${issuer.url}/"`,
      },
    ]);
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 0 });
  } finally {
    await issuer.close();
  }
});

test('a discovery document whose jwks_uri is on another origin is refused, unless allowForeignJwksUri', async () => {
  const issuer = await startTestIssuer([es256]);
  // The same server under another name: a different origin, as a poisoned discovery would name.
  issuer.jwksUri = `${issuer.url.replace('127.0.0.1', 'localhost')}/jwks`;
  const events: KitEvent[] = [];
  try {
    const refusing = createVerifier({ authority: issuer.url, logger: (e) => events.push(e) });
    const detail =
      `${issuer.url}/.well-known/openid-configuration names jwks_uri "${issuer.jwksUri}", which is not on the authority's origin ` +
      `${issuer.url}; keys are fetched from another origin only with allowForeignJwksUri`;
    await expect(refusing.ready()).rejects.toMatchObject({
      name: 'TokenRejectedError',
      reason: 'jwks_unavailable',
      message: `no keys from ${issuer.url} yet: ${detail}`,
    });
    expect(events).toEqual([{ event: 'jwks.fetch_failed', uri: issuer.url, detail }]);
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 0 });

    const allowing = createVerifier({ authority: issuer.url, allowForeignJwksUri: true });
    expect(await allowing.verify(await issuer.sign(es256))).toMatchObject({ sub: 'user-42', client_id: 'orders-app' });
    expect(issuer.fetches).toEqual({ discovery: 2, jwks: 1 });
    expect(problems({ authority: issuer.url, allowForeignJwksUri: 'yes' as unknown as boolean })).toEqual(['allowForeignJwksUri: must be true or false']);
  } finally {
    await issuer.close();
  }
});
