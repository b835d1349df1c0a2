import type { Context } from 'koa';

/** What the demo app keeps between sending the browser to Tessera and its return. */
export interface DemoFlow {
  /** PKCE code verifier. */
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

const COOKIE = 'tessera_demo';
const LIFETIME_MS = 10 * 60 * 1000;

/**
 * Keeps the flow in a short-lived cookie signed with the cookie keys (so any instance can read
 * it and nobody can forge it), readable by the server only, sent back only to /demo.
 */
export function saveDemoFlow(ctx: Context, flow: DemoFlow): void {
  ctx.cookies.set(COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: '/demo',
    maxAge: LIFETIME_MS,
    secure: ctx.secure,
    overwrite: true,
  });
}

/** The flow this browser started, if its cookie is there and intact; the cookie is cleared (one use). */
export function takeDemoFlow(ctx: Context): DemoFlow | undefined {
  const raw = ctx.cookies.get(COOKIE, { signed: true });
  ctx.cookies.set(COOKIE, null, { signed: true, httpOnly: true, sameSite: 'lax', path: '/demo', secure: ctx.secure, overwrite: true });
  if (!raw) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { verifier, state, nonce } = value;
    if (typeof verifier === 'string' && typeof state === 'string' && typeof nonce === 'string') return { verifier, state, nonce };
  } catch {
    // A cookie that does not parse is treated as no cookie.
  }
  return undefined;
}
