// Ceiling: a bare Koa server that authenticates the same client and signs the same claims with
// jose on every request; no protocol engine. Nothing can be much faster than this in Node.
// It also answers a bare token exchange: verify the subject token (a JWT this server's key
// signed, with its issuer and `typ: at+jwt`), then sign a token for the requested audience with
// the subject's `sub` — the least any token exchange does, to compare with its client_credentials.
import { randomBytes, timingSafeEqual, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { jwtVerify, SignJWT } from 'jose';
import Koa from 'koa';

const [port, keyPath, alg] = [Number(process.env.PORT), process.env.KEY_PATH!, process.env.ALG!];
const key = createPrivateKey(readFileSync(keyPath));
const publicKey = createPublicKey(key);
const issuer = `http://127.0.0.1:${port}`;
const expected = Buffer.from(`Basic ${Buffer.from('bench:bench-secret-0123456789abcdefghijkl').toString('base64')}`);
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The `sub`, `aud` and extra claims of the token to issue, or the error to answer. */
async function grant(params: URLSearchParams): Promise<{ sub: string; aud: string; extra: Record<string, unknown> } | { error: string }> {
  const grantType = params.get('grant_type');
  if (grantType === 'client_credentials') return { sub: 'bench', aud: 'resource_server', extra: {} };
  if (grantType !== TOKEN_EXCHANGE) return { error: 'unsupported_grant_type' };
  const audience = params.get('audience');
  try {
    const { payload } = await jwtVerify(params.get('subject_token') ?? '', publicKey, { issuer, typ: 'at+jwt', algorithms: [alg] });
    return audience && payload.sub ? { sub: payload.sub, aud: audience, extra: { act: { sub: 'bench' } } } : { error: 'invalid_request' };
  } catch {
    return { error: 'invalid_grant' };
  }
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token') {
    ctx.status = 404;
    return;
  }
  let body = '';
  for await (const chunk of ctx.req) body += chunk;
  const params = new URLSearchParams(body);
  const auth = Buffer.from(ctx.get('authorization'));
  if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
    ctx.status = 401;
    ctx.body = { error: 'invalid_client' };
    return;
  }
  const granted = await grant(params);
  if ('error' in granted) {
    ctx.status = 400;
    ctx.body = { error: granted.error };
    return;
  }
  const scope = params.get('scope') ?? undefined;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: 'bench', scope, jti: randomBytes(32).toString('base64url'), ...granted.extra })
    .setProtectedHeader({ alg, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(granted.aud)
    .setSubject(granted.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { access_token: token, expires_in: 3600, token_type: 'Bearer', scope };
});
app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
