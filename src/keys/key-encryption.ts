import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A private key encrypted with AES-256-GCM: IV, authentication tag and ciphertext, each base64. */
export interface SealedKey {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

const IV_BYTES = 12;

/**
 * Encrypts `plaintext` (a PEM private key) under the key-encryption key with a fresh random IV;
 * `id` (the key's name) is authenticated as additional data, so a sealed key moved to another
 * name no longer opens.
 */
export function sealKey(kek: Buffer, id: string, plaintext: string): SealedKey {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(id, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts what sealKey made for the same `id`; throws when the key-encryption key or the id differ, or the data was altered. */
export function openSealedKey(kek: Buffer, id: string, sealed: SealedKey): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('cannot be decrypted with KEYS_ENCRYPTION_KEY (another key, or the record was altered)');
  }
}
