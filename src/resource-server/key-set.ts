import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import type { JWK } from 'jose';

import { certificateMismatch } from './jwk-certificate.ts';
import { canonicalJwk, thumbprintOf } from './jwk-thumbprint.ts';
import { keyAlgorithms, publicMembers } from './jwk-usage.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink } from './kit-events.ts';

/** Verification keys imported once (one node:crypto key object per JWK), looked up per token without any await. */
export interface KeySet {
  /** How many published keys are usable. */
  readonly size: number;
  /**
   * The key for a token header: by `kid` (a key's `kid`, else its RFC 7638 thumbprint, and its
   * `x5t#S256`); a token without `kid` only when exactly one key fits its `alg`.
   */
  find(alg: string, kid: string | undefined): KeyObject | undefined;
}

/**
 * Imports every usable key of a JWKS for each allowed algorithm it fits. A key that is unusable
 * (see `keyAlgorithms`), repeats an earlier key's `kid`, or whose certificate contradicts it is
 * skipped with a `jwks.key_skipped` event; a JWKS member that is not an object is skipped too.
 *
 * @example
 * ```ts
 * const keys = buildKeySet(await (await fetch(jwksUri)).json(), ['ES256'], console.log);
 * keys.find('ES256', kid);
 * ```
 */
export function buildKeySet(jwks: { readonly keys: readonly unknown[] }, algorithms: readonly VerifyAlgorithm[], emit: EventSink): KeySet {
  const byId = new Map<string, Map<string, KeyObject>>();
  const byAlg = new Map<string, KeyObject[]>();
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
    const imported = new Map<string, KeyObject>();
    let thumbprint: string;
    try {
      const key = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
      for (const alg of usable) imported.set(alg, key);
      const canonical = canonicalJwk(publicJwk);
      if (canonical === undefined) throw new Error('a required member is missing');
      thumbprint = thumbprintOf(canonical);
    } catch (err) {
      emit({ event: 'jwks.key_skipped', kid, detail: `cannot be imported: ${(err as Error).message}` });
      continue;
    }
    size += 1;
    const ids = [kid ?? thumbprint, jwk['x5t#S256']].filter((id) => id !== undefined);
    for (const id of ids) if (!byId.has(id)) byId.set(id, imported);
    for (const [alg, key] of imported) byAlg.set(alg, [...(byAlg.get(alg) ?? []), key]);
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
