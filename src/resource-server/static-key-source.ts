import type { JWK } from 'jose';

import { buildKeySet } from './key-set.ts';
import type { KeySet } from './key-set.ts';
import type { KeySource } from './key-source.ts';
import type { VerifyAlgorithm } from './jwk-usage.ts';
import type { EventSink } from './kit-events.ts';

/**
 * Pinned keys (a certificate file, a JWKS file or an inline JWKS): imported once, never
 * refetched, no network.
 *
 * @example
 * ```ts
 * const source = createStaticKeySource(readKeyFile('/etc/tessera/signing.crt'), ['ES256'], () => {});
 * ```
 */
export function createStaticKeySource(jwks: readonly JWK[], algorithms: readonly VerifyAlgorithm[], emit: EventSink): KeySource {
  let keys: KeySet | undefined;
  return {
    current: () => keys,
    async load() {
      keys ??= buildKeySet({ keys: jwks }, algorithms, emit);
      return keys;
    },
    refetch: async () => undefined,
  };
}
