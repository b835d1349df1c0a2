import { createPrivateKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { isJwsAlgorithm, signJws } from './jws-algorithms.ts';
import type { JwsAlgorithm } from './jws-algorithms.ts';
import { signingKeyFor } from './signing-rule.ts';
import type { KeySet } from './load-keys.ts';

/** Signs JWTs (access tokens: `typ: at+jwt`) with the key that signs `alg` in a key set. */
export type JwtSigner = (alg: string, payload: Record<string, unknown>) => string;

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A signer over the key of `keys` that signs each algorithm under the signing rule
 * (src/keys/signing-rule.ts), as the engine's tokens are signed, writing `typ` in every header (default `at+jwt`); each key is read once, on
 * first use, and every signature is made synchronously with node:crypto.
 *
 * @example
 * ```ts
 * const sign = createJwtSigner(keys);
 * const jwt = sign('ES256', { iss, sub, aud: 'payments', scope: 'payments', iat, exp, jti, client_id });
 * ```
 */
export function createJwtSigner(keys: KeySet, typ = 'at+jwt'): JwtSigner {
  const prepared = new Map<string, { alg: JwsAlgorithm; header: string; key: KeyObject }>();
  const keyFor = (alg: string) => {
    let entry = prepared.get(alg);
    if (!entry) {
      const signing = signingKeyFor(keys, alg);
      if (!signing || !isJwsAlgorithm(alg)) throw new Error(`no key in CERTS_DIR signs ${alg}`);
      entry = { alg, header: encode({ alg, kid: signing.kid, typ }), key: createPrivateKey({ key: signing.privateJwk as JsonWebKey, format: 'jwk' }) };
      prepared.set(alg, entry);
    }
    return entry;
  };
  return (alg, payload) => {
    const signer = keyFor(alg);
    const input = `${signer.header}.${encode(payload)}`;
    return `${input}.${signJws(signer.alg, Buffer.from(input), signer.key).toString('base64url')}`;
  };
}
