import type { Context } from 'koa';

import { renderPage } from './render-page.ts';

/** What a person is told when something failed on Tessera's side: never the cause. */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. Try again later.';

/**
 * Renders Tessera's error page with the status already set on `ctx`: `message` for the person,
 * and the OAuth `error` code, as the JSON answer would carry it, when there is one to show.
 */
export function renderErrorPage(ctx: Context, error: string | undefined, message: string): void {
  renderPage(ctx, 'error', { title: ctx.status >= 500 ? 'Sorry' : 'Cannot continue', message, code: error });
}
