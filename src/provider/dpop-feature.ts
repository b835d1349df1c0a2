import { createHash } from 'node:crypto';

import type { Configuration } from 'oidc-provider';

import type { Config } from '../config/load-config.ts';

type DpopFeature = NonNullable<NonNullable<Configuration['features']>['dPoP']>;

/**
 * The engine's DPoP (RFC 9449) at the token endpoint: on, as the engine has it by default
 * (proofs replay-checked through the shared store). With `DPOP_NONCE_SECRET`, every instance
 * derives the same nonces from it (the engine takes a 32-byte key: the SHA-256 of the secret)
 * and every proof must carry one, so a client cannot use proofs made in advance.
 */
export function dpopFeature(config: Pick<Config, 'dpopNonceSecret'>): DpopFeature {
  if (config.dpopNonceSecret === undefined) return { enabled: true };
  return { enabled: true, nonceSecret: createHash('sha256').update(config.dpopNonceSecret).digest(), requireNonce: () => true };
}
