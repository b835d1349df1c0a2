declare module 'oidc-provider/lib/actions/introspection.js' {
  import type { Middleware } from 'koa';

  /** The engine's introspection endpoint: its middleware, in order. */
  const introspection: Middleware[];
  export default introspection;
}

declare module 'oidc-provider/lib/shared/reject_structured_tokens.js' {
  import type { Middleware } from 'koa';

  /** The step that answers `unsupported_token_type` to any JWT. */
  const rejectStructuredTokens: Middleware;
  export default rejectStructuredTokens;
}

declare module 'oidc-provider/lib/actions/revocation.js' {
  import type { Middleware } from 'koa';

  /** The engine's revocation endpoint: its middleware, in order. */
  const revocation: Middleware[];
  export default revocation;
}
