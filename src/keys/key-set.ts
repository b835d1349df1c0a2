import { createPublicKey } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';

import type { KeyManifest } from './key-manifest.ts';
import { leafFirst } from './read-certificates.ts';
import { algorithmsFor, toSigningKey } from './signing-key.ts';
import type { SigningKey } from './signing-key.ts';
import { bySigningOrder } from './signing-rule.ts';

/** The signing keys of one key store (CERTS_DIR or Redis). */
export interface KeySet {
  /**
   * Active keys first (the most recently activated first), then next, then retired keys; which
   * of them signs what is decided by src/keys/signing-rule.ts.
   */
  readonly keys: readonly SigningKey[];
  /** The public JWKS document (every state), with no private members. */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
}

/** A stored private key before it is checked: its name (stem) and how to open it. */
export interface KeyCandidate {
  /** Where it came from, for messages (a file name, a Redis record). */
  readonly source: string;
  readonly stem: string;
  readonly open: () => { key: KeyObject; certificates: X509Certificate[] };
}

/**
 * Opens each candidate and checks it against its manifest entry and certificates; a key that
 * cannot be used adds `<label>: <source> <reason>` to `problems` instead.
 */
export async function signingKeysOf(
  candidates: readonly KeyCandidate[],
  manifest: KeyManifest,
  label: string,
  problems: string[],
  extraCertificates: (stem: string) => X509Certificate[] = () => [],
): Promise<SigningKey[]> {
  const keys: SigningKey[] = [];
  for (const candidate of candidates) {
    try {
      const opened = candidate.open();
      const algs = algorithmsFor(opened.key);
      if (typeof algs === 'string') throw new Error(algs);
      const pinned = manifest[candidate.stem];
      if (pinned?.alg && !algs.includes(pinned.alg)) throw new Error(`cannot sign ${pinned.alg} (keys.json); it can sign ${algs.join(', ')}`);
      const publicKey = createPublicKey(opened.key);
      const certs = leafFirst([...opened.certificates, ...extraCertificates(candidate.stem)], (cert) => cert.publicKey.equals(publicKey));
      if (certs.length && !certs[0]!.publicKey.equals(publicKey)) throw new Error('does not match the public key of its certificate');
      keys.push(
        await toSigningKey({
          key: opened.key,
          algs,
          source: candidate.source,
          stem: candidate.stem,
          kid: pinned?.kid,
          alg: pinned?.alg,
          state: pinned?.state,
          since: pinned?.since,
          certificates: certs,
        }),
      );
    } catch (err) {
      problems.push(`${label}: ${candidate.source} ${(err as Error).message}`);
    }
  }
  return keys;
}

/** Problems with the keys as a whole: a kid used twice, or an algorithm some resource server needs with no active key. */
export function keySetProblems(keys: readonly SigningKey[], label: string, where: string, requiredAlgs: readonly string[]): string[] {
  const problems: string[] = [];
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.kid)) problems.push(`${label}: ${key.source} has the same kid as another key (${key.kid})`);
    kids.add(key.kid);
  }
  for (const alg of new Set(requiredAlgs)) {
    if (!keys.some((k) => k.state === 'active' && k.algs.includes(alg))) {
      const waiting = keys.find((k) => k.algs.includes(alg));
      problems.push(
        `${label}: no active key in ${where} can sign ${alg}, which ACCESS_TOKEN_ALG or a resource server asks for` +
          (waiting ? ` (${waiting.source} is ${waiting.state}; run: tessera keys rotate)` : ` (add one with: tessera keys generate --alg ${alg})`),
      );
    }
  }
  return problems;
}

/** The checked keys in signing order, with their public JWKS. */
export function toKeySet(keys: SigningKey[]): KeySet {
  keys.sort(bySigningOrder);
  return Object.freeze({ keys, jwks: { keys: keys.map((k) => ({ ...k.publicJwk })) } });
}
