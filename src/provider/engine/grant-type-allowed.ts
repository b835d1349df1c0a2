// Fenced: `Client#grantTypeAllowed(type)` is how the engine's token endpoint decides, before any
// grant handler runs, whether a client may use a grant (lib/models/client.js). It is not a
// promised interface. test/engine/grant-type-allowed.test.ts guards the seam.
import type { Client, Provider } from 'oidc-provider';

/**
 * Lets every client of `provider` reach the handler of `grantType`, whatever its `grant_types`
 * say, so that the handler itself refuses a client (with the error code it chooses).
 */
export function letGrantTypeThrough(provider: Provider, grantType: string): void {
  const { prototype } = provider.Client;
  const allowed = prototype.grantTypeAllowed;
  if (typeof allowed !== 'function') throw new Error('oidc-provider: Client#grantTypeAllowed is gone; the token exchange grant needs a review');
  prototype.grantTypeAllowed = function grantTypeAllowed(this: Client, type: string): boolean {
    return type === grantType || allowed.call(this, type);
  };
}
