import { createHash } from 'node:crypto';

/**
 * The `grant_ref` claim of a grant's access tokens: a digest of the grant id (a random storage
 * key), so tokens and the revocation feed name the grant without exposing the key itself.
 *
 * @example
 * ```ts
 * grantRef('h0aN…'); // '3q2-7wE…' (22 characters, base64url)
 * ```
 */
export function grantRef(grantId: string): string {
  return createHash('sha256').update(`tessera grant ${grantId}`).digest('base64url').slice(0, 22);
}
