import { fileURLToPath } from 'node:url';

import { Eta } from 'eta';
import type { Context } from 'koa';

const eta = new Eta({ views: fileURLToPath(new URL('./views', import.meta.url)), autoEscape: true, cache: true });

/**
 * Renders a server-side page: auto-escaped template, no script, the stylesheet from this
 * origin only, never framed, never cached. `formTargets` are origins a form may end up
 * redirecting to (Chromium applies form-action to redirects).
 */
export function renderPage(ctx: Context, view: string, data: Record<string, unknown>, formTargets: readonly string[] = []): void {
  ctx.set(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join('')}`,
    ].join('; '),
  );
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = eta.render(`./${view}`, data);
}

/** Origins of redirect URIs, for form-action. */
export function originsOf(uris: readonly string[] = []): string[] {
  return [...new Set(uris.filter((uri) => URL.canParse(uri)).map((uri) => new URL(uri).origin))];
}
