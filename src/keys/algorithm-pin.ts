import type { SigningAlg } from '../config/signing-algorithms.ts';
import type { ManifestEntry } from './key-manifest.ts';

/**
 * What keys.json says of a key Tessera writes for `alg` (the CLI, rotation, the development
 * keys): an RSA key could sign RS256 and PS256, so it is pinned to the one asked for and signs
 * that alone (RFC 8725 §3.1); an EC P-256 or Ed25519 key signs one algorithm anyway.
 */
export function algorithmPin(alg: SigningAlg): Pick<ManifestEntry, 'alg'> {
  return alg === 'RS256' || alg === 'PS256' ? { alg } : {};
}
