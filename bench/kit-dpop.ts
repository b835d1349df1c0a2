// Resource-server kit with DPoP: authentications per second of a DPoP-bound token with a fresh
// proof (RFC 9449: proof signature, htm, htu, iat, ath, thumbprint, replay memory) against the
// same kit authenticating a bearer token, same issuer key, same process and run. A proof is one
// more signature verification, so the goal is at least half the bearer rate. Both are printed
// per wall-clock second and as CPU time per authentication (every thread of the process; the
// token's and the proof's signatures are both verified with node:crypto on the event loop). The
// run fails when either ratio (Bearer / DPoP: authentications per second, and CPU µs, what a
// saturated server's throughput follows, steadier on a shared machine) is below 0.5× with ES256
// access tokens (Tessera's default) and ES256 proofs. The other rows are reported: an Ed25519
// verification costs more than a P-256 one with OpenSSL 3.0 (about 90 against 69 µs on the
// machine of the README's figures), and an RS256 token far less, so no implementation reaches
// 0.5× there. Rounds interleave short slices of both sides; medians over the rounds are printed.
//
//   node bench/kit-dpop.ts        (about 20 s; BENCH_ROUNDS rounds, default 5)
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { cpus } from 'node:os';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

import { createBearerAuthenticator, createVerifier } from '../src/resource-server/index.ts';
import type { AuthRequest } from '../src/resource-server/index.ts';
import { interleavedRound, runFor } from './lib/interleave.ts';
import type { Operation } from './lib/interleave.ts';
import { median } from './lib/load.ts';

const SLICE_MS = 100;
const SLICES = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POOL = 80_000;
const THRESHOLD = 0.5;
const AUTHORITY = 'https://id.example.com';
const ORIGIN = 'https://api.example.com';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

type ProofAlg = 'ES256' | 'EdDSA';

/** A client's DPoP key: the `jwk` header of its proofs and its RFC 7638 thumbprint. */
function clientKey(alg: ProofAlg): { alg: ProofAlg; privateKey: KeyObject; header: string; jkt: string } {
  const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk = alg === 'ES256' ? { crv, kty, x, y } : { crv, kty, x };
  const jkt = createHash('sha256').update(JSON.stringify(jwk)).digest('base64url');
  return { alg, privateKey, header: b64({ alg, typ: 'dpop+jwt', jwk }), jkt };
}

/** `count` distinct proofs for GET /orders with `token`, as a client makes one per request. */
function proofPool(key: ReturnType<typeof clientKey>, token: string, count: number): string[] {
  const ath = createHash('sha256').update(token).digest('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () => {
    const input = `${key.header}.${b64({ jti: randomUUID(), htm: 'GET', htu: `${ORIGIN}/orders`, iat, ath })}`;
    const signature = sign(key.alg === 'ES256' ? 'sha256' : null, Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  });
}

async function setup(alg: 'ES256' | 'RS256', proofAlg: ProofAlg): Promise<{ dpop: Operation; bearer: Operation }> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const now = Math.floor(Date.now() / 1000);
  const issue = (claims: Record<string, unknown>): Promise<string> =>
    new SignJWT({ client_id: 'orders-app', scope: 'api:read', jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
      .setIssuer(AUTHORITY)
      .setAudience('resource_server')
      .setSubject('user-42')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  const key = clientKey(proofAlg);
  const [plain, bound] = await Promise.all([issue({}), issue({ cnf: { jkt: key.jkt } })]);
  const proofs = proofPool(key, bound, POOL);

  const verifier = createVerifier({ authority: AUTHORITY, jwks: { keys: [{ ...jwk, kid, use: 'sig' }] } });
  await verifier.ready();
  const auth = createBearerAuthenticator({ verifier, scope: 'api:read', dpop: { origin: ORIGIN } });
  const request = (authorization: string, dpop: string | undefined): AuthRequest => ({
    authorization,
    dpop,
    querystring: '',
    method: 'GET',
    path: '/orders',
    origin: () => ORIGIN,
  });
  const bearerRequest = request(`Bearer ${plain}`, undefined);
  let next = 0;
  const dpop: Operation = () => {
    const proof = proofs[next++];
    if (proof === undefined) throw new Error(`kit-dpop: more than ${POOL} proofs needed`);
    return auth.authenticate(request(`DPoP ${bound}`, proof));
  };
  const bearer: Operation = () => auth.authenticate(bearerRequest);
  await Promise.all([dpop(), bearer()]);
  return { dpop, bearer };
}

async function compare(alg: 'ES256' | 'RS256', proofAlg: ProofAlg): Promise<Record<string, number | string>> {
  const { dpop, bearer } = await setup(alg, proofAlg);
  await runFor(dpop, 300);
  await runFor(bearer, 300);
  const results = {
    dpop: [] as number[],
    bearer: [] as number[],
    ratio: [] as number[],
    dpopCpu: [] as number[],
    bearerCpu: [] as number[],
    cpuRatio: [] as number[],
  };
  for (let i = 0; i < ROUNDS; i++) {
    const measured = await interleavedRound(dpop, bearer, i % 2 === 0, SLICES, SLICE_MS);
    results.dpop.push(measured.a);
    results.bearer.push(measured.b);
    results.ratio.push(measured.a / measured.b);
    results.dpopCpu.push(measured.aCpuMicros);
    results.bearerCpu.push(measured.bCpuMicros);
    results.cpuRatio.push(measured.bCpuMicros / measured.aCpuMicros);
  }
  return {
    'token alg': alg,
    'proof alg': proofAlg,
    'DPoP auth/s': Math.round(median(results.dpop)),
    'Bearer auth/s': Math.round(median(results.bearer)),
    'x Bearer': Number(median(results.ratio).toFixed(3)),
    'DPoP CPU µs': Math.round(median(results.dpopCpu)),
    'Bearer CPU µs': Math.round(median(results.bearerCpu)),
    'x Bearer (CPU)': Number(median(results.cpuRatio).toFixed(3)),
  };
}

console.log(
  `kit-dpop: ${ROUNDS} rounds of ${SLICES} × ${SLICE_MS} ms slices per side, sequential awaits (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`,
);
const rows = [await compare('ES256', 'ES256'), await compare('ES256', 'EdDSA'), await compare('RS256', 'ES256'), await compare('RS256', 'EdDSA')];
console.table(rows);
const judged = rows.filter((row) => row['token alg'] === 'ES256' && row['proof alg'] === 'ES256');
const slow = judged.filter((row) => (row['x Bearer'] as number) < THRESHOLD || (row['x Bearer (CPU)'] as number) < THRESHOLD);
if (slow.length > 0) {
  console.error(`kit-dpop: below ${THRESHOLD}× the bearer rate (per second or by CPU time) with ES256 tokens and ES256 proofs`);
  process.exitCode = 1;
}
