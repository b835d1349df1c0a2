import type { Context, Middleware } from 'koa';
import { decodeJwt, decodeProtectedHeader } from 'jose';

import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import { backChannelOrigin, createJwksCache } from './back-channel.ts';
import { DEMO_CLIENT_ID, DEMO_USERNAME, demoScope } from './demo-client.ts';
import { saveDemoFlow, takeDemoFlow } from './demo-flow-cookie.ts';
import { createDemoRelyingParty, DemoFlowError } from './demo-relying-party.ts';
import type { DemoSignIn } from './demo-relying-party.ts';
import { demoResource } from './demo-resource.ts';
import { renderDemoPage } from './render-demo-page.ts';

/** What {@link demoRoutes} needs. */
export interface DemoDeps {
  readonly config: Pick<Config, 'issuer' | 'accessTokenAudience' | 'resourceServers'>;
  readonly logger: Logger;
}

const CSS = `.card.demo{max-width:52rem}.card.demo h2{font-size:1.1rem;margin:1.6rem 0 .4rem}.card.demo h3{font-size:.95rem;margin:.8rem 0 .2rem}
.links{padding-left:1.2rem}details{margin:.6rem 0}summary{cursor:pointer}`;

/**
 * The demo (development only): `/` offers "Sign in with the demo app"; `/demo/start` sends the
 * browser to Tessera's authorization endpoint; `/demo/callback` redeems the code and shows the
 * ID token's claims, the decoded access token and the answer of `/demo/resource`, a protected
 * resource that verifies the access token against Tessera's JWKS.
 */
export function demoRoutes({ config, logger }: DemoDeps): Middleware {
  const { issuer } = config;
  const jwks = createJwksCache();
  const app = createDemoRelyingParty({ issuer, scope: demoScope(config), jwks });
  const resource = demoResource({ issuer, audience: config.accessTokenAudience });
  const read = (ctx: Context): boolean => ctx.method === 'GET' || ctx.method === 'HEAD';

  return async (ctx, next) => {
    if (ctx.path === '/' && read(ctx)) {
      return renderDemoPage(ctx, 'home', { title: 'Tessera', username: DEMO_USERNAME });
    }
    if (ctx.path === '/demo/demo.css' && read(ctx)) {
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.type = 'text/css; charset=utf-8';
      ctx.body = CSS;
      return;
    }
    if (ctx.path === '/demo/start' && ctx.method === 'POST') {
      const { flow, url } = app.start();
      saveDemoFlow(ctx, flow);
      ctx.status = 303;
      ctx.redirect(url);
      return;
    }
    if (ctx.path === '/demo/resource' && read(ctx)) return resource(ctx, backChannelOrigin(ctx));
    if (ctx.path === '/demo/callback' && ctx.method === 'GET') return callback(ctx);
    return next();
  };

  async function callback(ctx: Context): Promise<void> {
    const origin = backChannelOrigin(ctx);
    let signIn: DemoSignIn;
    try {
      signIn = await app.finish(new URLSearchParams(ctx.querystring), takeDemoFlow(ctx), origin);
    } catch (err) {
      if (!(err instanceof DemoFlowError)) throw err;
      logger.info({ event: 'demo.sign_in_failed', requestId: ctx.state.requestId, error: err.error }, 'demo app: sign-in did not finish');
      const status = err.error === 'access_denied' ? 403 : 400;
      return renderDemoPage(ctx, 'failed', { title: 'The demo app did not sign you in', message: err.message, code: err.error }, status);
    }
    const answer = await fetch(new URL('/demo/resource', origin), {
      headers: { authorization: `Bearer ${signIn.accessToken}` },
      signal: AbortSignal.timeout(5000),
    });
    renderDemoPage(ctx, 'signed-in', {
      title: `Signed in as ${String(signIn.claims.name ?? signIn.claims.preferred_username ?? signIn.claims.sub)}`,
      clientId: DEMO_CLIENT_ID,
      home: `${issuer}/`,
      resourceUrl: `${issuer}/demo/resource`,
      claims: json(signIn.claims),
      scope: signIn.scope,
      expiresIn: signIn.expiresIn,
      accessToken: signIn.accessToken,
      ...decoded(signIn.accessToken),
      resourceStatus: `${answer.status} ${answer.statusText}`,
      resourceAnswer: await answer.text().then(pretty),
    });
  }
}

/** The access token's header and payload, decoded without verification (the resource verifies). */
function decoded(token: string): { accessHeader: string; accessPayload: string } {
  try {
    return { accessHeader: json(decodeProtectedHeader(token)), accessPayload: json(decodeJwt(token)) };
  } catch {
    return { accessHeader: 'not a JWT: this access token is opaque (ACCESS_TOKEN_FORMAT=opaque)', accessPayload: '' };
  }
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function pretty(text: string): string {
  try {
    return json(JSON.parse(text));
  } catch {
    return text || '(no body)';
  }
}
