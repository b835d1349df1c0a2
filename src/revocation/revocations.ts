import { setTimeout as sleep } from 'node:timers/promises';

import { grantRef } from './grant-ref.ts';
import type { RevocableClaims, RevocationEntry } from './revocation-entry.ts';
import type { RevocationStore } from './revocation-store.ts';
import { EXPIRY_MARGIN } from './token-lifetime.ts';

/** A token ended by its `jti`, with the expiry that bounds its entry. */
export interface RevokedToken {
  readonly jti: string;
  readonly exp: number;
}

/** What ends access tokens: every revocation event goes through one of these. */
export interface Revocations {
  /** Ends single tokens by `jti` (RFC 7009 of a JWT access token, with the tokens embedded in it). */
  revokeTokens(tokens: readonly RevokedToken[]): Promise<void>;
  /** Ends every access token of a grant (and every token exchanged from them). */
  revokeGrant(grantId: string): Promise<void>;
  /**
   * Ends every access token of a subject (a user's `sub`), and every token exchanged from them,
   * issued up to now (to the end of the current second). Resolves once that second is over, so a
   * token issued after it resolves (the user enabled again at once) is not covered.
   */
  revokeSubject(sub: string): Promise<void>;
  /**
   * Ends every access token held by a client (`client_id`) or whose subject it is (its
   * client_credentials tokens, and tokens exchanged from them), issued up to now. Resolves once
   * the current second is over, so a token issued after it resolves (with a new secret: its `iat`
   * is later) is not covered.
   */
  revokeClient(clientId: string): Promise<void>;
  /** Whether a token with these claims is revoked (introspection, userinfo, token exchange). */
  isRevoked(claims: RevocableClaims): Promise<boolean>;
}

/**
 * Revocation over a store: each entry lives as long as the longest token it can cover
 * (`lifetime`, the longest access-token lifetime of the configuration) plus a margin for the
 * resource servers' clock tolerance.
 *
 * @example
 * ```ts
 * const revocations = createRevocations({ store, lifetime: longestTokenLifetime(config) });
 * await revocations.revokeGrant(grantId);
 * ```
 */
export function createRevocations({ store, lifetime, now = () => Date.now() }: { store: RevocationStore; lifetime: number; now?: () => number }): Revocations {
  const seconds = (): number => Math.floor(now() / 1000);
  async function issuedUntilNow(matches: readonly (readonly ['sub' | 'client_id', string])[], waitOut: boolean): Promise<void> {
    const at = seconds();
    await store.add(matches.map(([claim, value]) => ({ claim, value, iat_max: at, exp: at + lifetime + EXPIRY_MARGIN })));
    const rest = (at + 1) * 1000 - now();
    if (waitOut && rest > 0) await sleep(rest);
  }
  return {
    async revokeTokens(tokens) {
      await store.add(tokens.map((t): RevocationEntry => ({ claim: 'jti', value: t.jti, exp: t.exp + EXPIRY_MARGIN })));
    },
    async revokeGrant(grantId) {
      await store.add([{ claim: 'grant_ref', value: grantRef(grantId), exp: seconds() + lifetime + EXPIRY_MARGIN }]);
    },
    revokeSubject: (sub) => issuedUntilNow([['sub', sub]], true),
    revokeClient: (clientId) =>
      issuedUntilNow(
        [
          ['client_id', clientId],
          ['sub', clientId],
        ],
        true,
      ),
    isRevoked: (claims) => store.isRevoked(claims),
  };
}
