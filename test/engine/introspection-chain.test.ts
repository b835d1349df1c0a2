import introspection from 'oidc-provider/lib/actions/introspection.js';
import revocation from 'oidc-provider/lib/actions/revocation.js';
import rejectStructuredTokens from 'oidc-provider/lib/shared/reject_structured_tokens.js';

import { introspectJwts } from '../../src/provider/engine/introspection-chain.ts';

test("the engine's introspection endpoint has the structured-token refusal that introspectJwts takes out, once, and revocation keeps it", () => {
  expect(introspection).toContain(rejectStructuredTokens);
  const length = introspection.length;
  introspectJwts();
  introspectJwts();
  expect(introspection).not.toContain(rejectStructuredTokens);
  expect(introspection).toHaveLength(length);
  expect(introspection.filter((step) => step.name === 'introspectsJwts')).toHaveLength(1);
  expect(revocation).toContain(rejectStructuredTokens);
});
