import { fileURLToPath } from 'node:url';

import { Eta } from 'eta';
import type { Context } from 'koa';

const eta = new Eta({ views: fileURLToPath(new URL('./views', import.meta.url)), autoEscape: true, cache: true });

/**
 * Renders a demo page like the interaction pages: auto-escaped template, no script, styles from
 * this origin only, forms posting to this origin only, never framed, never cached.
 */
export function renderDemoPage(ctx: Context, view: string, data: Record<string, unknown>, status = 200): void {
  ctx.set(
    'Content-Security-Policy',
    ["default-src 'none'", "style-src 'self'", "img-src 'self'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"].join('; '),
  );
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = eta.render(`./${view}`, data);
}
