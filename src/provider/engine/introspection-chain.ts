import introspection from 'oidc-provider/lib/actions/introspection.js';
import rejectStructuredTokens from 'oidc-provider/lib/shared/reject_structured_tokens.js';

/** What stands in the removed step's place, so that a second call sees the work done. */
const PASS = async function introspectsJwts(_ctx: unknown, next: () => Promise<unknown>): Promise<void> {
  await next();
};

/**
 * Takes out of the engine's introspection endpoint the step that refuses every JWT with
 * `unsupported_token_type`, so Tessera's JWT access tokens are introspected like opaque ones
 * (found through `AccessToken.find`, see jwt-access-token-lookup.ts). This edits a module of the
 * engine that is not part of its promised surface: the endpoint's middleware list, which every
 * Provider built afterwards in this process copies. It is idempotent, and throws when the list no
 * longer holds that step or holds it twice, so an engine upgrade that changes it stops Tessera at
 * start instead of silently refusing JWTs again. The revocation endpoint keeps its own copy of the
 * step: a JWT cannot be revoked there.
 */
export function introspectJwts(): void {
  if (introspection.some((step) => step.name === PASS.name)) return;
  const at = introspection.indexOf(rejectStructuredTokens);
  if (at === -1) {
    throw new Error("oidc-provider's introspection endpoint no longer has its rejectStructuredTokens step; JWT introspection needs a review");
  }
  if (introspection.lastIndexOf(rejectStructuredTokens) !== at) throw new Error("oidc-provider's introspection endpoint rejects JWTs twice");
  introspection.splice(at, 1, PASS);
}
