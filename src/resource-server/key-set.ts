import { calculateJwkThumbprint, importJWK } from 'jose';
import type { JWK } from 'jose';

import { certificateMismatch } from './jwk-certificate.ts';
import { keyAlgorithms, publicMembers } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink } from './kit-events.ts';

/** Verification keys imported once, looked up per token without any await. */
export interface KeySet {
  /** How many published keys are usable. */
  readonly size: number;
  /**
   * The key for a token header: by `kid` (a key's `kid`, else its RFC 7638 thumbprint, and its
   * `x5t#S256`); a token without `kid` only when exactly one key fits its `alg`.
   */
  find(alg: string, kid: string | undefined): CryptoKey | undefined;
}

/**
 * Imports every usable key of a JWKS for each allowed algorithm it fits. A key that is unusable
 * (see `keyAlgorithms`), repeats an earlier key's `kid`, or whose certificate contradicts it is
 * skipped with a `jwks.key_skipped` event; a JWKS member that is not an object is skipped too.
 *
 * @example
 * ```ts
 * const keys = await buildKeySet(await (await fetch(jwksUri)).json(), ['ES256'], console.log);
 * keys.find('ES256', kid);
 * ```
 */
export async function buildKeySet(jwks: { readonly keys: readonly unknown[] }, algorithms: readonly VerifyAlgorithm[], emit: EventSink): Promise<KeySet> {
  const byId = new Map<string, Map<string, CryptoKey>>();
  const byAlg = new Map<string, CryptoKey[]>();
  let size = 0;
  for (const member of jwks.keys) {
    const jwk = (typeof member === 'object' && member !== null ? member : {}) as JWK;
    const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    const usable = keyAlgorithms(jwk, algorithms);
    const problem = typeof usable === 'string' ? usable : kid !== undefined && byId.has(kid) ? 'another key has the same kid' : certificateMismatch(jwk);
    if (typeof usable === 'string' || problem !== undefined) {
      emit({ event: 'jwks.key_skipped', kid, detail: problem ?? 'unusable' });
      continue;
    }
    const publicJwk = publicMembers(jwk);
    const ids = [kid ?? await calculateJwkThumbprint(publicJwk, 'sha256'), jwk['x5t#S256']].filter((id) => id !== undefined);
    const imported = new Map<string, CryptoKey>();
    try {
      for (const alg of usable) imported.set(alg, await importJWK(publicJwk, alg) as CryptoKey);
    } catch (err) {
      emit({ event: 'jwks.key_skipped', kid, detail: `cannot be imported: ${(err as Error).message}` });
      continue;
    }
    size += 1;
    for (const id of ids) if (!byId.has(id)) byId.set(id, imported);
    for (const [alg, key] of imported) byAlg.set(alg, [...byAlg.get(alg) ?? [], key]);
  }
  return {
    size,
    find(alg, kid) {
      if (kid !== undefined) return byId.get(kid)?.get(alg);
      const candidates = byAlg.get(alg);
      return candidates?.length === 1 ? candidates[0] : undefined;
    },
  };
}
