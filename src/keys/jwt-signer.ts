import { importJWK, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';

import { signingKeyFor } from './load-keys.ts';
import type { KeySet } from './load-keys.ts';

/** Signs JWT access tokens (`typ: at+jwt`) with the key that signs `alg` in a key set. */
export type JwtSigner = (alg: string, payload: JWTPayload) => Promise<string>;

/**
 * A signer over the first key of `keys` that signs each algorithm (active keys come first), as the
 * engine picks them; each key is imported once, on first use.
 *
 * @example
 * ```ts
 * const sign = createJwtSigner(keys);
 * const jwt = await sign('ES256', { iss, sub, aud: 'payments', scope: 'payments', iat, exp, jti, client_id });
 * ```
 */
export function createJwtSigner(keys: KeySet): JwtSigner {
  const imported = new Map<string, Promise<{ kid: string; key: CryptoKey | Uint8Array }>>();
  const keyFor = (alg: string) => {
    let entry = imported.get(alg);
    if (!entry) {
      const signing = signingKeyFor(keys, alg);
      if (!signing) throw new Error(`no key in CERTS_DIR signs ${alg}`);
      entry = importJWK(signing.privateJwk, alg).then((key) => ({ kid: signing.kid, key }));
      imported.set(alg, entry);
    }
    return entry;
  };
  return async (alg, payload) => {
    const { kid, key } = await keyFor(alg);
    return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(key);
  };
}
