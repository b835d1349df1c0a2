import { createHmac, generateKeyPairSync, sign as signBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';

import { createOwnJwtVerifier, JwtRejected } from '../../src/token-exchange/verify-own-jwt.ts';

const ISSUER = 'https://id.example.com';
const NOW = 1_900_000_000;

const pairs: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  EdDSA: generateKeyPairSync('ed25519'),
};
const jwks = {
  keys: Object.entries(pairs).map(([alg, { publicKey }]) => ({ ...publicKey.export({ format: 'jwk' }), kid: `kid-${alg}`, alg, use: 'sig' })),
};
const verify = createOwnJwtVerifier(jwks, {
  issuer: ISSUER,
  typ: 'at+jwt',
  algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
  requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
  clockTolerance: 5,
});

const CLAIMS = { iss: ISSUER, sub: 'user-1', client_id: 'app', jti: 'j1', iat: NOW - 10, exp: NOW + 60 };

async function sign(
  alg: string,
  { claims = CLAIMS as JWTPayload, header = {} as Record<string, unknown>, key = pairs[alg]!.privateKey } = {},
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', kid: `kid-${alg}`, ...header }).sign(key);
}

function outcome(jwt: string, now = NOW): string {
  try {
    verify(jwt, now);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof JwtRejected)) throw err;
    return err.reason === 'invalid' ? 'rejected' : err.reason;
  }
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

test.each(['ES256', 'RS256', 'PS256', 'EdDSA'])('a %s token of this issuer is accepted, with its claims', async (alg) => {
  expect(verify(await sign(alg), NOW)).toEqual(CLAIMS);
  expect(outcome(await sign(alg, { header: { typ: 'application/AT+JWT' } }))).toBe('accepted');
});

test('a changed payload or signature is rejected', async () => {
  const [header, , signature] = (await sign('ES256')).split('.') as [string, string, string];
  expect(outcome(`${header}.${b64({ ...CLAIMS, sub: 'admin' })}.${signature}`)).toBe('rejected');
  const [h, p] = (await sign('RS256')).split('.') as [string, string, string];
  expect(outcome(`${h}.${p}.${Buffer.alloc(256, 1).toString('base64url')}`)).toBe('rejected');
});

test('a token signed by another key under a published kid is rejected', async () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  expect(outcome(await sign('ES256', { key: other }))).toBe('rejected');
});

test('algorithm confusion is rejected: none, HS256 keyed with a public key, an algorithm the kid is not published for', async () => {
  const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'kid-ES256' })}.${b64(CLAIMS)}.`;
  expect(outcome(unsigned)).toBe('rejected');
  const hsInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: 'kid-RS256' })}.${b64(CLAIMS)}`;
  const secret = pairs.RS256!.publicKey.export({ format: 'pem', type: 'spki' });
  expect(outcome(`${hsInput}.${createHmac('sha256', secret).update(hsInput).digest('base64url')}`)).toBe('rejected');
  // The PS256 key signs RS256: a valid signature, but the key is published for PS256 only.
  const rsWithPsKey = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-PS256' }).sign(pairs.PS256!.privateKey);
  expect(outcome(rsWithPsKey)).toBe('rejected');
});

test('an unknown or missing kid, a crit header, or another typ is rejected', async () => {
  expect(outcome(await sign('ES256', { header: { kid: 'unknown' } }))).toBe('rejected');
  expect(outcome(await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(pairs.ES256!.privateKey))).toBe('rejected');
  // jose will not sign a header with crit: the JWS is put together here, validly signed; the same
  // without crit is accepted.
  const signedEs256 = (header: Record<string, unknown>): string => {
    const input = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'kid-ES256', ...header })}.${b64(CLAIMS)}`;
    return `${input}.${signBytes('sha256', Buffer.from(input), { key: pairs.ES256!.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
  expect(outcome(signedEs256({ crit: ['exp'], exp: NOW + 60 }))).toBe('rejected');
  expect(outcome(signedEs256({ exp: NOW + 60 }))).toBe('accepted');
  expect(outcome(await sign('ES256', { header: { typ: 'JWT' } }))).toBe('rejected');
});

test('another issuer, a missing required claim, or a claim of the wrong type is rejected', async () => {
  expect(outcome(await sign('ES256', { claims: { ...CLAIMS, iss: 'https://other.example.com' } }))).toBe('rejected');
  for (const name of ['exp', 'iat', 'jti', 'sub', 'client_id']) {
    const claims: JWTPayload = { ...CLAIMS };
    delete claims[name];
    expect([name, outcome(await sign('ES256', { claims }))]).toEqual([name, 'rejected']);
  }
  expect(outcome(await sign('ES256', { claims: { ...CLAIMS, exp: String(NOW + 60) } as unknown as JWTPayload }))).toBe('rejected');
  expect(outcome(await sign('ES256', { claims: { ...CLAIMS, iat: 'yesterday' } as unknown as JWTPayload }))).toBe('rejected');
});

test('expiry and not-before are checked against the time given', async () => {
  const jwt = await sign('ES256');
  expect(outcome(jwt, NOW + 59)).toBe('accepted');
  expect(outcome(jwt, NOW + 60)).toBe('expired');
  const later = await sign('ES256', { claims: { ...CLAIMS, nbf: NOW + 30 } });
  expect(outcome(later, NOW)).toBe('rejected');
  expect(outcome(later, NOW + 30)).toBe('accepted');
});

test('an iat in the future beyond the clock tolerance is rejected, as the kit does', async () => {
  const ahead = async (seconds: number) => sign('ES256', { claims: { ...CLAIMS, iat: NOW + seconds } });
  expect(outcome(await ahead(5))).toBe('accepted');
  expect(outcome(await ahead(6))).toBe('issued_in_future');
  expect(outcome(await ahead(600))).toBe('issued_in_future');
});

test('what is not a compact JWT is rejected', () => {
  for (const value of ['', 'a.b', 'a.b.c.d', `${b64([1])}.${b64(CLAIMS)}.x`, `not-json.${b64(CLAIMS)}.x`]) {
    expect([value, outcome(value)]).toEqual([value, 'rejected']);
  }
});
