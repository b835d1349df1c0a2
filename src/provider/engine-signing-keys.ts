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

/**
 * A key that signs one algorithm, handed to the engine as an external signing key: the engine
 * gives it the JWS signing input and it signs with node:crypto, in a batch with the other
 * signatures of the same turn of the event loop, where the engine would otherwise sign through
 * WebCrypto and a round trip to the thread pool for every token.
 */
class NodeSigningKey extends ExternalSigningKey {
  readonly #kid: string;
  readonly #alg: JwsAlgorithm;
  readonly #private: KeyObject;
  readonly #public: KeyObject;
  readonly #batch: CryptoBatch;

  constructor(key: SigningKey, alg: JwsAlgorithm, batch: CryptoBatch) {
    super();
    this.#batch = batch;
    this.#kid = key.kid;
    this.#alg = alg;
    this.#private = createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' });
    this.#public = createPublicKey(this.#private);
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
    return this.#batch(() => signJws(this.#alg, Buffer.from(data.buffer, data.byteOffset, data.byteLength), this.#private));
  }
}

/**
 * The keys as the engine takes them. A key that signs one algorithm (EC, Ed25519, or an RSA
 * key pinned to one in keys.json) signs through node:crypto; an RSA key that may sign both RS256
 * and PS256 stays a private JWK that the engine signs with itself, since an external key names
 * its one algorithm.
 */
export function engineSigningKeys(keys: KeySet): (JWK | ExternalSigningKey)[] {
  const batch = createCryptoBatch();
  return keys.keys.map((key) => {
    const [alg, ...others] = key.algs;
    return alg && !others.length && isJwsAlgorithm(alg) ? new NodeSigningKey(key, alg, batch) : { ...key.privateJwk } as JWK;
  });
}

/** The engine setting that lets it take {@link engineSigningKeys} (an experimental engine feature, acknowledged at its version). */
export const EXTERNAL_SIGNING = { enabled: true, ack: 'experimental-01' } as const;
