// Ceiling: a bare Koa server that authenticates the same client and signs the same claims with
// jose on every request; no protocol engine. Nothing can be much faster than this in Node.
import { randomBytes, timingSafeEqual, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { SignJWT } from 'jose';
import Koa from 'koa';

const [port, keyPath, alg] = [Number(process.env.PORT), process.env.KEY_PATH!, process.env.ALG!];
const key = createPrivateKey(readFileSync(keyPath));
const issuer = `http://127.0.0.1:${port}`;
const expected = Buffer.from(`Basic ${Buffer.from('bench:bench-secret-0123456789abcdefghijkl').toString('base64')}`);

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token') { ctx.status = 404; return; }
  let body = '';
  for await (const chunk of ctx.req) body += chunk;
  const params = new URLSearchParams(body);
  const auth = Buffer.from(ctx.get('authorization'));
  if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
    ctx.status = 401; ctx.body = { error: 'invalid_client' }; return;
  }
  if (params.get('grant_type') !== 'client_credentials') { ctx.status = 400; ctx.body = { error: 'unsupported_grant_type' }; return; }
  const scope = params.get('scope') ?? undefined;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: 'bench', scope, jti: randomBytes(32).toString('base64url') })
    .setProtectedHeader({ alg, typ: 'at+jwt' }).setIssuer(issuer).setAudience('resource_server').setSubject('bench')
    .setIssuedAt(now).setExpirationTime(now + 3600).sign(key);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { access_token: token, expires_in: 3600, token_type: 'Bearer', scope };
});
app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
