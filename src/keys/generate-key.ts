import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { DEV_KEY_PREFIX, listKeyFiles } from '../config/key-files.ts';
import { SIGNING_ALGS } from '../config/signing-algorithms.ts';
import type { SigningAlg } from '../config/signing-algorithms.ts';
import { algorithmPin } from './algorithm-pin.ts';
import { readManifest, writeManifest } from './key-manifest.ts';

/** The algorithms a key can be generated for: every one Tessera signs with. */
export const GENERATABLE_ALGS = SIGNING_ALGS;
export type GeneratableAlg = SigningAlg;

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
  return (
    passphrase === undefined ? key.export({ format: 'pem', type: 'pkcs8' }) : key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })
  ) as string;
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
 * {@link generateKeyFile}, and an RSA key pinned to `alg` in keys.json beside what keys.json
 * held, so that it signs one algorithm (RFC 8725 §3.1), through node:crypto (see
 * src/provider/engine-signing-keys.ts), like the keys rotation writes. An unreadable keys.json
 * is an error before anything is written.
 */
export function generatePinnedKeyFile(dir: string, alg: GeneratableAlg, name?: string, passphrase?: string): { path: string; pinned: boolean } {
  const pin = algorithmPin(alg);
  const pinned = pin.alg !== undefined;
  const problems: string[] = [];
  const manifest = pinned ? readManifest(dir, problems) : {};
  if (problems.length) throw new Error(`${problems.join('; ')}; no key written`);
  const path = generateKeyFile(dir, alg, name, passphrase);
  if (pinned) {
    const stem = basename(path, '.pem');
    writeManifest(dir, { ...manifest, [stem]: { ...manifest[stem], ...pin } });
  }
  return { path, pinned };
}

/**
 * In development, when `dir` holds no key, writes one ES256 and one RS256 key marked as
 * development keys, pinned like every key Tessera writes. Returns the paths written (empty when
 * keys were already there).
 */
export function ensureDevelopmentKeys(dir: string): string[] {
  if (listKeyFiles(dir).some((f) => f.kind !== 'certificate')) return [];
  return (['ES256', 'RS256'] as const).map((alg) => generatePinnedKeyFile(dir, alg, `${DEV_KEY_PREFIX}${alg.toLowerCase()}`).path);
}
