// Orders: a small resource server that accepts Tessera's access tokens, verified offline with
// the resource-server kit. GET /orders requires the scope api:read.
//
//   AUTHORITY=https://id.example.com [AUDIENCE=resource_server] [PUBLIC_CERT_PATH=signing.crt] [PORT=4000] \
//     node examples/resource-server/server.ts
import Koa from 'koa';

import { createVerifier, koaBearerAuth, ResourceServerConfigError } from 'tessera/resource-server';
import type { BearerAuthState, Verifier } from 'tessera/resource-server';

const ORDERS = [
  { id: 'o-1001', item: 'espresso beans, 1 kg', total: '24.90 EUR' },
  { id: 'o-1002', item: 'burr grinder', total: '189.00 EUR' },
];

function log(entry: object): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), service: 'orders', ...entry }));
}

let verifier: Verifier;
try {
  verifier = createVerifier({
    authority: process.env.AUTHORITY ?? '',
    audience: process.env.AUDIENCE || 'resource_server',
    ...(process.env.PUBLIC_CERT_PATH ? { publicCertPath: process.env.PUBLIC_CERT_PATH } : {}),
    logger: log,
  });
} catch (err) {
  if (!(err instanceof ResourceServerConfigError)) throw err;
  const setting: Record<string, string> = { authority: 'AUTHORITY', audience: 'AUDIENCE', publicCertPath: 'PUBLIC_CERT_PATH' };
  const problems = err.problems.map((problem) => `  - ${problem.replace(/^\w+/, (name) => setting[name] ?? name)}`);
  console.error(`orders cannot start; fix these settings:\n${problems.join('\n')}`);
  process.exit(1);
}

const readOrders = koaBearerAuth({ verifier, scope: 'api:read', logger: log });
const app = new Koa<BearerAuthState>();
app.use(async (ctx, next) => {
  if (ctx.path !== '/orders') return next();
  if (ctx.method !== 'GET') {
    ctx.status = 405;
    ctx.set('Allow', 'GET');
    return;
  }
  await readOrders(ctx, async () => {
    const { sub, client_id } = ctx.state.auth;
    ctx.body = { caller: { sub, client_id }, orders: ORDERS };
  });
});

// Load the keys at start so the first request does not wait; a failure is logged
// (jwks.fetch_failed) and retried by a later request after the cool-down.
verifier.ready().catch(() => {});
const port = Number(process.env.PORT ?? 4000);
const server = app.listen(port, () => log({ event: 'listening', port, authority: verifier.authority, audience: verifier.audience }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
