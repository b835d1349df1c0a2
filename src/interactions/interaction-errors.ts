import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

import { respondWithError } from '../http/error-response.ts';
import type { Logger } from '../observability/logger.ts';
import { INTERNAL_ERROR_MESSAGE, renderErrorPage } from './error-page.ts';

/** What a person is told when the interaction is gone: expired, finished, or begun in another browser. */
export const EXPIRED_MESSAGE = 'This sign-in has expired or is already finished. Go back to the application and sign in again.';

/**
 * The one place that turns errors of the interaction routes (a forged or missing CSRF token, an
 * expired interaction, a bad form) into responses: the status and OAuth error of the JSON answer
 * every other route gives (src/http/error-response.ts), as Tessera's error page for a browser,
 * and as JSON only when the request's Accept asks for JSON rather than HTML.
 */
export function withErrorPages(logger: Logger, route: Middleware): Middleware {
  return async (ctx, next) => {
    try {
      await route(ctx, next);
    } catch (err) {
      respondWithError(ctx, err, logger);
      if (ctx.accepts('html', 'json') === 'json') return;
      const { error, error_description: description } = ctx.body as { error: string; error_description: string };
      const message = ctx.status >= 500 ? INTERNAL_ERROR_MESSAGE : err instanceof errors.SessionNotFound ? EXPIRED_MESSAGE : description;
      renderErrorPage(ctx, error, message);
    }
  };
}
