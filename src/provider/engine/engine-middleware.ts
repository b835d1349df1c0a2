// Fenced: oidc-provider documents mounting the Provider as a Koa app (`provider.callback()`, or
// a prefix mount). Tessera instead runs the engine's own middleware list (`provider.middleware`,
// Koa's property: the engine is a Koa subclass) on its own application's context, at the root,
// so that one request edge, one access log and one error mapping serve both. That the list can
// run on another app's context is not promised. test/engine/engine-middleware.test.ts guards the seam.
import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { Provider } from 'oidc-provider';

/** The engine's middleware, composed, to run on the context of Tessera's Koa application. */
export function engineMiddleware(provider: Provider): Middleware {
  const { middleware } = provider as Provider & { middleware?: Middleware[] };
  if (!Array.isArray(middleware) || !middleware.length)
    throw new Error('oidc-provider: the Provider no longer holds a Koa middleware list; mounting the engine needs a review');
  return compose(middleware);
}
