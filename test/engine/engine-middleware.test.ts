import Koa from 'koa';
import { Provider } from 'oidc-provider';

import { engineMemoryAdapter } from '../../src/provider/engine/memory-adapter.ts';
import { engineMiddleware } from '../../src/provider/engine/engine-middleware.ts';

test("seam: the engine's middleware list, run on another Koa application's context, serves the engine's endpoints", async () => {
  const provider = new Provider('http://127.0.0.1', { adapter: engineMemoryAdapter() });
  const app = new Koa();
  app.use(engineMiddleware(provider));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const discovery = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(await discovery.json()).toMatchObject({ issuer: 'http://127.0.0.1', token_endpoint: `http://127.0.0.1:${port}/token` });
    const token = await fetch(`http://127.0.0.1:${port}/token`, { method: 'POST' });
    expect(token.status).toBe(400);
    expect(await token.json()).toEqual({ error: 'invalid_request', error_description: 'no client authentication mechanism provided' });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a Provider without a middleware list is refused loudly', () => {
  expect(() => engineMiddleware({} as Provider)).toThrow(
    'oidc-provider: the Provider no longer holds a Koa middleware list; mounting the engine needs a review',
  );
});
