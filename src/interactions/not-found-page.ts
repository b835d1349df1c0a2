import type { Context } from 'koa';

import { renderPage } from './render-page.ts';

/** The page a person sees at an address where Tessera has nothing. */
export function notFoundPage(ctx: Context): void {
  renderPage(ctx, 'error', { title: 'Not found', message: 'There is nothing at this address.', code: 'not_found' });
}
