import { createPrivateKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

import type { KeyStore, StoredKey } from './key-store.ts';
import type { SigningKey } from './signing-key.ts';

const PRIVATE_MEMBERS = ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * Copies every key of `from`, with its certificates, pinned alg and kid, state and since, into
 * `to`: all or none, and none when `to` already holds a key of the same name. Returns where each went.
 */
export async function copyKeys(from: KeyStore, to: KeyStore): Promise<string[]> {
  const [keys, manifest] = await Promise.all([from.load(), from.readManifest()]);
  if (!keys.keys.length) throw new Error(`${from.label} ${from.where} holds no key to copy`);
  return to.add(
    keys.keys.map(
      (key): StoredKey => ({
        stem: key.stem,
        pem: pemOf(key),
        certificates: certificatesOf(key),
        entry: manifest[key.stem] ?? {},
      }),
    ),
  );
}

function pemOf(key: SigningKey): string {
  const jwk: JsonWebKey = {};
  for (const member of PRIVATE_MEMBERS) {
    if (key.privateJwk[member] !== undefined) jwk[member] = key.privateJwk[member];
  }
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'pkcs8' }) as string;
}

function certificatesOf(key: SigningKey): string[] {
  return (key.privateJwk.x5c ?? []).map((der) => `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
}
