import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { ExternalSigningKey } from 'oidc-provider';
import type { JWK } from 'oidc-provider';

import { createCryptoBatch } from '../keys/crypto-batch.ts';
import type { CryptoBatch } from '../keys/crypto-batch.ts';
import { isJwsAlgorithm, signJws } from '../keys/jws-algorithms.ts';
import type { JwsAlgorithm } from '../keys/jws-algorithms.ts';
import type { KeySet } from '../keys/load-keys.ts';
import type { SigningKey } from '../keys/signing-key.ts';
import { algorithmsSignedBy } from '../keys/signing-rule.ts';

/** What a key that only verifies may do: the engine never selects it to sign. */
const VERIFY_ONLY = ['verify'];

/**
 * A key of one algorithm, handed to the engine as an external signing key: the engine gives it
 * the JWS signing input and it signs with node:crypto, in a batch with the other signatures of
 * the same turn of the event loop, where the engine would otherwise sign through WebCrypto and a
 * round trip to the thread pool for every token. A key that only verifies says so in its
 * `key_ops`, so that the engine never picks it to sign.
 */
class NodeSigningKey extends ExternalSigningKey {
  readonly #kid: string;
  readonly #alg: JwsAlgorithm;
  readonly #private: KeyObject | undefined;
  readonly #public: KeyObject;
  readonly #batch: CryptoBatch;

  constructor(key: SigningKey, alg: JwsAlgorithm, batch: CryptoBatch, signs: boolean) {
    super();
    this.#batch = batch;
    this.#kid = key.kid;
    this.#alg = alg;
    const privateKey = createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' });
    this.#private = signs ? privateKey : undefined;
    this.#public = createPublicKey(privateKey);
  }

  override get key_ops(): string[] | undefined {
    return this.#private ? undefined : [...VERIFY_ONLY];
  }

  override get kid(): string {
    return this.#kid;
  }

  override get alg(): string {
    return this.#alg;
  }

  override keyObject(): KeyObject {
    return this.#public;
  }

  override sign(data: Uint8Array): Promise<Buffer> {
    const key = this.#private;
    if (!key) return Promise.reject(new Error(`key ${this.#kid} only verifies`));
    return this.#batch(() => signJws(this.#alg, Buffer.from(data.buffer, data.byteOffset, data.byteLength), key));
  }
}

/**
 * The keys as the engine takes them, every one of them published for verifying; which of them
 * signs follows the signing rule (src/keys/signing-rule.ts), and the engine is left no choice:
 * for each algorithm exactly one key can sign, and the others only verify, so an ID token
 * (which names no kid) is signed by the same key as an access token (which does).
 * A key signs through node:crypto when it is given one algorithm to sign; an RSA key that is not
 * pinned and signs both RS256 and PS256 stays a private JWK that the engine signs with itself,
 * since an external key names its one algorithm.
 */
export function engineSigningKeys(keys: KeySet): (JWK | ExternalSigningKey)[] {
  const batch = createCryptoBatch();
  return keys.keys.map((key) => {
    const signs = algorithmsSignedBy(keys, key);
    const [alg, ...others] = signs.length ? signs : key.algs;
    if (alg && !others.length && isJwsAlgorithm(alg)) return new NodeSigningKey(key, alg, batch, signs.length > 0);
    return { ...key.privateJwk, ...(signs.length ? {} : { key_ops: [...VERIFY_ONLY] }) } as JWK;
  });
}
