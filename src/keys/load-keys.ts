import { createPrivateKey } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { ConfigError } from '../config/config-error.ts';
import { MANIFEST_FILE, readManifest } from './key-manifest.ts';
import { listKeyFiles } from '../config/key-files.ts';
import type { KeyFile } from '../config/key-files.ts';
import { keySetProblems, signingKeysOf, toKeySet } from './key-set.ts';
import type { KeySet } from './key-set.ts';
import { readCertificates } from './read-certificates.ts';
import { readPkcs12 } from './read-pkcs12.ts';

export type { KeySet } from './key-set.ts';

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

  const keyFiles = files.filter((f) => !isCertificateFile(f));
  const keys = await signingKeysOf(
    keyFiles.map((file) => ({ source: file.name, stem: file.stem, open: () => openKeyFile(file, passphrase) })),
    manifest,
    'CERTS_DIR',
    problems,
    (stem) => certsByStem.get(stem) ?? [],
  );
  for (const stem of certsByStem.keys()) {
    if (!keyFiles.some((f) => f.stem === stem))
      problems.push(`CERTS_DIR: certificate ${stem} has no private key beside it (${stem}.pem, ${stem}.key or ${stem}.pfx)`);
  }
  for (const stem of Object.keys(manifest)) {
    if (!keyFiles.some((f) => f.stem === stem)) {
      problems.push(`CERTS_DIR: ${MANIFEST_FILE} names ${stem}, but there is no key file ${stem}.pem, ${stem}.key or ${stem}.pfx`);
    }
  }
  problems.push(...keySetProblems(keys, 'CERTS_DIR', dir, requiredAlgs));
  if (problems.length) throw new ConfigError(problems);
  return toKeySet(keys);
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
