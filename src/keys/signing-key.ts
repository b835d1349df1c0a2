import { createHash } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

import type { KeyState } from './key-manifest.ts';

/** A signing key loaded from CERTS_DIR. */
export interface SigningKey {
  readonly kid: string;
  /** JWS algorithms this key may sign with. */
  readonly algs: readonly string[];
  /** The file it came from (for messages and the log; never its content). */
  readonly source: string;
  /** The file name without its extension: the key's name in keys.json. */
  readonly stem: string;
  /** `active` keys sign; `next` and `retired` keys are only published (keys.json; `active` when unset). */
  readonly state: KeyState;
  /** When it entered its state (ISO 8601), when keys.json says. */
  readonly since?: string | undefined;
  /** Private JWK: read only by the signers (the engine's keys, src/provider/engine-signing-keys.ts, and src/keys/jwt-signer.ts). */
  readonly privateJwk: JWK;
  /** Public JWK as published in the JWKS, with x5c and x5t#S256 when a certificate came with it. */
  readonly publicJwk: JWK;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/** Which JWS algorithms a key can sign with, or a reason it cannot be used. */
export function algorithmsFor(key: KeyObject): string[] | string {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      return bits >= 2048 ? ['RS256', 'PS256'] : `RSA keys must have at least 2048 bits (this one has ${bits})`;
    }
    case 'rsa-pss':
      return 'RSA-PSS keys with restricted parameters are not supported; use a plain RSA key for PS256';
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        ? ['ES256']
        : `EC keys must be on P-256 for ES256 (this one is on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'})`;
    case 'ed25519':
      return ['EdDSA'];
    default:
      return `${key.asymmetricKeyType ?? 'this'} keys are not supported (use RSA, EC P-256 or Ed25519)`;
  }
}

/** Builds the key's JWK pair; `kid` is the RFC 7638 thumbprint unless one is given. */
export async function toSigningKey(input: {
  key: KeyObject;
  algs: string[];
  source: string;
  stem: string;
  state?: KeyState | undefined;
  since?: string | undefined;
  kid?: string | undefined;
  alg?: string | undefined;
  certificates: X509Certificate[];
}): Promise<SigningKey> {
  const exported = input.key.export({ format: 'jwk' }) as JWK;
  const publicOnly: JWK = {};
  for (const member of PUBLIC_MEMBERS) {
    if (exported[member] !== undefined) publicOnly[member] = exported[member];
  }
  const kid = input.kid ?? (await calculateJwkThumbprint(publicOnly, 'sha256'));
  const alg = input.alg ?? (input.algs.length === 1 ? input.algs[0] : undefined);
  const certs = input.certificates.length
    ? { x5c: input.certificates.map((c) => c.raw.toString('base64')), 'x5t#S256': createHash('sha256').update(input.certificates[0]!.raw).digest('base64url') }
    : {};
  return {
    kid,
    algs: alg ? [alg] : input.algs,
    source: input.source,
    stem: input.stem,
    state: input.state ?? 'active',
    ...(input.since ? { since: input.since } : {}),
    privateJwk: { ...exported, kid, use: 'sig', ...(alg ? { alg } : {}), ...(certs.x5c ? { x5c: certs.x5c } : {}) },
    publicJwk: { ...publicOnly, kid, use: 'sig', ...(alg ? { alg } : {}), ...certs },
  };
}
