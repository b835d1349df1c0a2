import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

import { createBearerAuthenticator, createVerifier, SUPPORTED_ALGORITHMS } from '../../src/resource-server/index.ts';
import type { AuthRequest, Verifier } from '../../src/resource-server/index.ts';
import { makeProof } from './support/dpop-proofs.ts';
import { signAccessToken } from './support/test-issuer.ts';
import type { IssuerKey } from './support/test-issuer.ts';

// Every algorithm the kit verifies, with tokens and proofs signed by jose (an implementation
// independent of the kit's node:crypto table): digests, curves, IEEE P1363 signatures and PSS salts must agree.

const AUTHORITY = 'https://id.example.com';
const ORIGIN = 'https://api.example.com';

async function keyFor(alg: string): Promise<{ key: IssuerKey; pair: CryptoKeyPair }> {
  const pair = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined, extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { pair, key: { alg: alg as IssuerKey['alg'], kid, privateKey: pair.privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg } } };
}

let keys: Map<string, { key: IssuerKey; pair: CryptoKeyPair }>;
let verifier: Verifier;

beforeAll(async () => {
  keys = new Map(await Promise.all(SUPPORTED_ALGORITHMS.map(async (alg) => [alg, await keyFor(alg)] as const)));
  verifier = createVerifier({ authority: AUTHORITY, algorithms: SUPPORTED_ALGORITHMS, jwks: { keys: [...keys.values()].map(({ key }) => key.publicJwk) } });
});

async function reason(token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'accepted';
  } catch (err) {
    return (err as { reason: string }).reason;
  }
}

test.each([...SUPPORTED_ALGORITHMS])('a %s token is verified, and refused with another signature', async (alg) => {
  const { key } = keys.get(alg)!;
  const token = await signAccessToken(key, AUTHORITY);
  expect(await reason(token)).toBe('accepted');
  const other = (await keyFor(alg)).key;
  const [header, payload] = token.split('.') as [string, string];
  const forged = `${header}.${payload}.${(await signAccessToken({ ...other, kid: key.kid }, AUTHORITY)).split('.')[2]}`;
  expect(await reason(forged)).toBe('bad_signature');
});

test('crit and b64 headers are refused as malformed, whatever they name', async () => {
  const { key } = keys.get('ES256')!;
  const sign = (header: Record<string, unknown>): Promise<string> =>
    new SignJWT({
      iss: AUTHORITY,
      aud: 'resource_server',
      sub: 's',
      client_id: 'c',
      jti: 'j',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header })
      .sign(key.privateKey);
  expect(await reason(await sign({ crit: ['b64'], b64: true }))).toBe('malformed');
  expect(await reason(await sign({ b64: true }))).toBe('malformed');
  expect(await reason(await sign({}))).toBe('accepted');
});

test.each(['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'PS512', 'EdDSA'])(
  'a DPoP proof signed with %s is verified through the same signature path',
  async (alg) => {
    const { key } = keys.get('ES256')!;
    const { pair } = keys.get(alg)!;
    const auth = createBearerAuthenticator({ verifier, dpop: { origin: ORIGIN, algorithms: [alg] } });
    const jkt = await calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256');
    const token = await signAccessToken(key, AUTHORITY, { cnf: { jkt } });
    const request = (dpop: string): AuthRequest => ({
      authorization: `DPoP ${token}`,
      dpop,
      querystring: '',
      method: 'GET',
      path: '/orders',
      origin: () => ORIGIN,
    });
    const { claims } = await auth.authenticate(request(await makeProof(pair, `${ORIGIN}/orders`, token, {}, { alg })));
    expect(claims.cnf).toEqual({ jkt });
    const other = await keyFor(alg);
    const proof = await makeProof(pair, `${ORIGIN}/orders`, token, {}, { alg });
    const forged = `${proof.split('.').slice(0, 2).join('.')}.${(await makeProof(other.pair, `${ORIGIN}/orders`, token, {}, { alg })).split('.')[2]}`;
    await expect(auth.authenticate(request(forged))).rejects.toMatchObject({ reason: 'dpop_proof_signature', error: 'invalid_dpop_proof' });
  },
);
