// Resource-server kit: verifications per second of `createVerifier().verify(token)` against a bare
// node:crypto verification of the same token with the same key (split, header, signature, the
// claim checks, nothing else: written out below), in the same process and run; raw jose
// `jwtVerify` is measured beside them for reference. The kit's extra work (key lookup by kid,
// every RFC 9068 check, error mapping) must cost at most 10%: the run fails below 0.9× bare.
// Each round interleaves short slices of the sides, so that other load on the machine hits them
// alike; medians over the rounds are printed, per wall-clock second and as CPU time per verification.
//
//   node bench/kit-verify.ts        (about 40 s; BENCH_ROUNDS rounds, default 5)
import { constants, createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { cpus } from 'node:os';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';

import { createVerifier } from '../src/resource-server/index.ts';
import { interleavedRound, runFor } from './lib/interleave.ts';
import type { Operation, RoundResult } from './lib/interleave.ts';
import { median } from './lib/load.ts';

const SLICE_MS = 100;
const SLICES = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const THRESHOLD = 0.9;
const AUTHORITY = 'https://id.example.com';
const AUDIENCE = 'resource_server';
const TOLERANCE = 5;

type Alg = 'ES256' | 'RS256';

/**
 * The least a verification of this token can be: node:crypto on a key object imported once, the
 * header's alg and typ, then iss, aud, exp, nbf and iat. What it omits (kid lookup, strict
 * base64url and UTF-8, required and well-typed claims, revocation) is what the kit adds.
 */
function bareVerify(alg: Alg, key: KeyObject, token: string): Record<string, unknown> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const { alg: given, typ } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg: string; typ: string };
  if (given !== alg || typ !== 'at+jwt') throw new Error('wrong header');
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : { key, padding: constants.RSA_PKCS1_PADDING };
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), options, Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, number | string>;
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== AUTHORITY || claims.aud !== AUDIENCE) throw new Error('wrong issuer or audience');
  if (!(Number(claims.exp) > now - TOLERANCE) || Number(claims.nbf ?? 0) > now + TOLERANCE || Number(claims.iat) > now + TOLERANCE)
    throw new Error('out of time');
  return claims;
}

async function setup(alg: Alg): Promise<{ kit: Operation; bare: Operation; jose: Operation }> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: 'orders-app', scope: 'api:read api:write', jti: 'bench-1' })
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
    .setIssuer(AUTHORITY)
    .setAudience(AUDIENCE)
    .setSubject('user-42')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);

  const verifier = createVerifier({ authority: AUTHORITY, jwks: { keys: [{ ...jwk, kid, use: 'sig' }] } });
  await verifier.ready();
  const keyObject = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const cryptoKey = await importJWK(jwk, alg);
  const kit: Operation = () => verifier.verify(token);
  const bare: Operation = async () => bareVerify(alg, keyObject, token);
  const jose: Operation = () => jwtVerify(token, cryptoKey);
  await Promise.all([kit(), bare(), jose()]);
  return { kit, bare, jose };
}

async function rounds(a: Operation, b: Operation): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  for (let i = 0; i < ROUNDS; i++) results.push(await interleavedRound(a, b, i % 2 === 0, SLICES, SLICE_MS));
  return results;
}

async function compare(alg: Alg): Promise<Record<string, number | string>> {
  const { kit, bare, jose } = await setup(alg);
  for (const side of [kit, bare, jose]) await runFor(side, 300);
  const bareRounds = await rounds(kit, bare);
  const joseRounds = await rounds(kit, jose);
  const med = (values: number[], digits = 0): number => Number(median(values).toFixed(digits));
  return {
    alg,
    'kit verify/s': med(bareRounds.map((r) => r.a)),
    'bare verify/s': med(bareRounds.map((r) => r.b)),
    'x bare': med(
      bareRounds.map((r) => r.a / r.b),
      3,
    ),
    'kit CPU µs': med(
      bareRounds.map((r) => r.aCpuMicros),
      1,
    ),
    'bare CPU µs': med(
      bareRounds.map((r) => r.bCpuMicros),
      1,
    ),
    'x bare (CPU)': med(
      bareRounds.map((r) => r.bCpuMicros / r.aCpuMicros),
      3,
    ),
    'jose jwtVerify/s': med(joseRounds.map((r) => r.b)),
    'kit x jose': med(
      joseRounds.map((r) => r.a / r.b),
      3,
    ),
    'jose CPU µs': med(
      joseRounds.map((r) => r.bCpuMicros),
      1,
    ),
    'kit x jose (CPU)': med(
      joseRounds.map((r) => r.bCpuMicros / r.aCpuMicros),
      3,
    ),
  };
}

console.log(
  `kit-verify: ${ROUNDS} rounds of ${SLICES} × ${SLICE_MS} ms slices per side, sequential awaits (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`,
);
const rows = [await compare('ES256'), await compare('RS256')];
console.table(rows);
const slow = rows.filter((row) => (row['x bare'] as number) < THRESHOLD);
if (slow.length > 0) {
  console.error(`kit-verify: below ${THRESHOLD}× a bare node:crypto verification for ${slow.map((row) => row.alg).join(', ')}`);
  process.exitCode = 1;
}
