import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEV_KEY_PREFIX, listKeyFiles } from './key-files.ts';

export const GENERATABLE_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
export type GeneratableAlg = (typeof GENERATABLE_ALGS)[number];

function generate(alg: GeneratableAlg): KeyObject {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    default:
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
}

/** A new private key for `alg` as PKCS#8 PEM, encrypted with AES-256-CBC when a passphrase is given. */
export function generateKeyPem(alg: GeneratableAlg, passphrase?: string): string {
  const key = generate(alg);
  return (passphrase === undefined
    ? key.export({ format: 'pem', type: 'pkcs8' })
    : key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })) as string;
}

/**
 * Writes a new private key for `alg` as a PKCS#8 PEM file (mode 0600) into `dir` and returns
 * its path. Never overwrites: an existing name is an error.
 */
export function generateKeyFile(dir: string, alg: GeneratableAlg, name = `${alg.toLowerCase()}-${Date.now()}`, passphrase?: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.pem`);
  writeFileSync(path, generateKeyPem(alg, passphrase), { mode: 0o600, flag: 'wx' });
  return path;
}

/**
 * In development, when `dir` holds no key, writes one ES256 and one RS256 key marked as
 * development keys. Returns the paths written (empty when keys were already there).
 */
export function ensureDevelopmentKeys(dir: string): string[] {
  if (listKeyFiles(dir).some((f) => f.kind !== 'certificate')) return [];
  return (['ES256', 'RS256'] as const).map((alg) => generateKeyFile(dir, alg, `${DEV_KEY_PREFIX}${alg.toLowerCase()}`));
}
