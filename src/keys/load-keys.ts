import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError } from '../config/config-error.ts';
import { MANIFEST_FILE, readManifest } from './key-manifest.ts';
import { listKeyFiles } from './key-files.ts';
import type { KeyFile } from './key-files.ts';
import { leafFirst, readCertificates } from './read-certificates.ts';
import { readPkcs12 } from './read-pkcs12.ts';
import { algorithmsFor, toSigningKey } from './signing-key.ts';
import type { SigningKey } from './signing-key.ts';
import { bySigningOrder } from './signing-rule.ts';

/** The signing keys of one CERTS_DIR. */
export interface KeySet {
  /**
   * Active keys first (the most recently activated first), then next, then retired keys; which
   * of them signs what is decided by src/keys/signing-rule.ts.
   */
  readonly keys: readonly SigningKey[];
  /** The public JWKS document (every state), with no private members. */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
}

interface LoadKeysOptions {
  readonly dir: string;
  readonly passphrase?: string | undefined;
  /** Algorithms some resource server signs with: each needs a key. */
  readonly requiredAlgs?: readonly string[];
}

/**
 * Loads every key in `dir`: PKCS#8/PKCS#1/SEC1 PEM (optionally encrypted), PKCS#12 with a
 * password, each with an optional certificate (`<stem>.crt`, `.cer` or `.cert.pem`) published
 * as x5c and x5t#S256. Throws a ConfigError listing every unusable file.
 */
export async function loadKeys({ dir, passphrase, requiredAlgs = [] }: LoadKeysOptions): Promise<KeySet> {
  const problems: string[] = [];
  const manifest = readManifest(dir, problems);
  const files = listKeyFiles(dir);
  const certsByStem = new Map<string, X509Certificate[]>();
  for (const file of files.filter(isCertificateFile)) {
    try {
      certsByStem.set(file.stem, [...(certsByStem.get(file.stem) ?? []), ...readCertificates(readFileSync(file.path))]);
    } catch (err) {
      problems.push(`CERTS_DIR: ${file.name} is not a readable X.509 certificate (${(err as Error).message})`);
    }
  }

  const keys: SigningKey[] = [];
  const usedStems = new Set<string>();
  for (const file of files.filter((f) => !isCertificateFile(f))) {
    try {
      const opened = openKeyFile(file, passphrase);
      usedStems.add(file.stem);
      const algs = algorithmsFor(opened.key);
      if (typeof algs === 'string') throw new Error(algs);
      const pinned = manifest[file.stem];
      if (pinned?.alg && !algs.includes(pinned.alg)) throw new Error(`cannot sign ${pinned.alg} (${MANIFEST_FILE}); it can sign ${algs.join(', ')}`);
      const publicKey = createPublicKey(opened.key);
      const certs = leafFirst([...opened.certificates, ...(certsByStem.get(file.stem) ?? [])],
        (cert) => cert.publicKey.equals(publicKey));
      if (certs.length && !certs[0]!.publicKey.equals(publicKey)) throw new Error('does not match the public key of its certificate');
      keys.push(await toSigningKey({ key: opened.key, algs, source: file.name, stem: file.stem, kid: pinned?.kid, alg: pinned?.alg,
        state: pinned?.state, since: pinned?.since, certificates: certs }));
    } catch (err) {
      problems.push(`CERTS_DIR: ${file.name} ${(err as Error).message}`);
    }
  }
  for (const stem of certsByStem.keys()) {
    if (!usedStems.has(stem)) problems.push(`CERTS_DIR: certificate ${stem} has no private key beside it (${stem}.pem, ${stem}.key or ${stem}.pfx)`);
  }
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.kid)) problems.push(`CERTS_DIR: ${key.source} has the same kid as another key (${key.kid})`);
    kids.add(key.kid);
  }
  for (const stem of Object.keys(manifest)) {
    if (!files.some((f) => f.stem === stem && !isCertificateFile(f))) {
      problems.push(`CERTS_DIR: ${MANIFEST_FILE} names ${stem}, but there is no key file ${stem}.pem, ${stem}.key or ${stem}.pfx`);
    }
  }
  for (const alg of new Set(requiredAlgs)) {
    if (!keys.some((k) => k.state === 'active' && k.algs.includes(alg))) {
      const waiting = keys.find((k) => k.algs.includes(alg));
      problems.push(`CERTS_DIR: no active key in ${dir} can sign ${alg}, which ACCESS_TOKEN_ALG or a resource server asks for`
        + (waiting ? ` (${waiting.source} is ${waiting.state}; run: tessera keys rotate)` : ` (add one with: tessera keys generate --alg ${alg})`));
    }
  }
  if (problems.length) throw new ConfigError(problems);
  keys.sort(bySigningOrder);
  return Object.freeze({ keys, jwks: { keys: keys.map((k) => ({ ...k.publicJwk })) } });
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** A certificate file, or a .pem that holds certificates and no private key. */
function isCertificateFile(file: KeyFile): boolean {
  if (file.kind !== 'pem-key') return file.kind === 'certificate';
  const text = readFileSync(file.path, 'latin1');
  return !PEM_PRIVATE_KEY.test(text) && text.includes('-----BEGIN CERTIFICATE-----');
}

function openKeyFile(file: KeyFile, passphrase: string | undefined): { key: KeyObject; certificates: X509Certificate[] } {
  const data = readFileSync(file.path);
  if (file.kind === 'pkcs12') {
    if (passphrase === undefined) throw new Error('is a PKCS#12 file; set CERTS_PASSPHRASE to its password');
    return readPkcs12(data, passphrase);
  }
  const text = data.toString('latin1');
  if (!PEM_PRIVATE_KEY.test(text)) throw new Error('holds no PEM private key');
  const encrypted = text.includes('ENCRYPTED') || text.includes('Proc-Type: 4,ENCRYPTED');
  if (encrypted && passphrase === undefined) throw new Error('is encrypted; set CERTS_PASSPHRASE to its passphrase');
  try {
    const key = createPrivateKey(encrypted ? { key: text, passphrase: passphrase ?? '' } : { key: text });
    return { key, certificates: readCertificates(data) };
  } catch (err) {
    throw new Error(encrypted ? 'cannot be decrypted with CERTS_PASSPHRASE' : `is not a readable private key (${(err as Error).message})`);
  }
}
