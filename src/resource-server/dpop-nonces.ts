import { createHmac } from 'node:crypto';

/** Server nonces for DPoP proofs (RFC 9449 §9), the same on every replica that shares the secret. */
export interface DpopNonces {
  /** The nonce to hand out now. */
  current(): string;
  /** Whether a proof's nonce is the current or the previous one. */
  accepts(nonce: string): boolean;
}

/**
 * Stateless nonces: an HMAC-SHA256 of the current `period`-second step under `secret`, so they
 * cannot be predicted without the secret and need no shared store. A nonce is accepted during
 * its own step and the next.
 *
 * @example
 * ```ts
 * const nonces = createDpopNonces(secret, 60);
 * nonces.accepts(nonces.current()); // true
 * ```
 */
export function createDpopNonces(secret: Uint8Array, period: number, now: () => number = Date.now): DpopNonces {
  const cache = new Map<number, string>();
  function nonceOf(step: number): string {
    let nonce = cache.get(step);
    if (nonce === undefined) {
      nonce = createHmac('sha256', secret).update(`tessera-dpop-nonce:${step}`).digest('base64url');
      if (cache.size > 4) cache.clear();
      cache.set(step, nonce);
    }
    return nonce;
  }
  const step = (): number => Math.floor(now() / 1000 / period);
  return {
    current: () => nonceOf(step()),
    accepts(nonce) {
      const current = step();
      return nonce === nonceOf(current) || nonce === nonceOf(current - 1);
    },
  };
}
