// Resource-server kit: verifications per second of `createVerifier().verify(token)` against raw
// jose `jwtVerify(token, key)` of the same token with the same key, in the same process and run.
// The kit's extra work (key lookup by kid, RFC 9068 checks, error mapping) must cost at most
// 10%: the run fails below 0.9×. Each round interleaves short slices of both sides, so that
// other load on the machine hits both alike; medians over the rounds are printed.
//
//   node bench/kit-verify.ts        (about 20 s)
import { cpus } from 'node:os';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';

import { createVerifier } from '../src/resource-server/index.ts';
import { interleavedRound, runFor } from './lib/interleave.ts';
import type { Operation } from './lib/interleave.ts';
import { median } from './lib/load.ts';

const SLICE_MS = 100;
const SLICES = 8;
const ROUNDS = 5;
const THRESHOLD = 0.9;
const AUTHORITY = 'https://id.example.com';

type Verify = Operation;

async function setup(alg: 'ES256' | 'RS256'): Promise<{ kit: Verify; raw: Verify }> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: 'orders-app', scope: 'api:read api:write', jti: 'bench-1' })
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer(AUTHORITY).setAudience('resource_server').setSubject('user-42')
    .setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey);

  const verifier = createVerifier({ authority: AUTHORITY, jwks: { keys: [{ ...jwk, kid, use: 'sig' }] } });
  await verifier.ready();
  const key = await importJWK(jwk, alg);
  const kit: Verify = () => verifier.verify(token);
  const raw: Verify = () => jwtVerify(token, key);
  await Promise.all([kit(), raw()]);
  return { kit, raw };
}

async function compare(alg: 'ES256' | 'RS256'): Promise<Record<string, number | string>> {
  const { kit, raw } = await setup(alg);
  await runFor(kit, 300);
  await runFor(raw, 300);
  const results = { kit: [] as number[], raw: [] as number[], ratio: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    const measured = await interleavedRound(kit, raw, i % 2 === 0, SLICES, SLICE_MS);
    results.kit.push(measured.a);
    results.raw.push(measured.b);
    results.ratio.push(measured.a / measured.b);
  }
  return {
    alg,
    'kit verify/s': Math.round(median(results.kit)),
    'jose jwtVerify/s': Math.round(median(results.raw)),
    'x jose': Number(median(results.ratio).toFixed(3)),
  };
}

console.log(`kit-verify: ${ROUNDS} rounds of ${SLICES} × ${SLICE_MS} ms slices per side, sequential awaits (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`);
const rows = [await compare('ES256'), await compare('RS256')];
console.table(rows);
const slow = rows.filter((row) => (row['x jose'] as number) < THRESHOLD);
if (slow.length > 0) {
  console.error(`kit-verify: below ${THRESHOLD}× raw jose for ${slow.map((row) => row.alg).join(', ')}`);
  process.exitCode = 1;
}
