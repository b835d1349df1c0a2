import type { Context } from 'koa';
import { errors } from 'oidc-provider';

import { respondWithError } from '../http/error-response.ts';
import type { Logger } from '../observability/logger.ts';
import { INTERNAL_ERROR_MESSAGE, renderErrorPage } from './error-page.ts';
import { FormError } from './read-form.ts';

/** What a person is told when the interaction is gone: expired, finished, or begun in another browser. */
export const EXPIRED_MESSAGE = 'This sign-in has expired or is already finished. Go back to the application and sign in again.';

/**
 * The one place that turns errors of the interaction routes (a forged or missing CSRF token, an
 * expired interaction, a form that is not one or is too large) into responses: with the status
 * and OAuth error of the JSON answer every other route gives (src/http/error-response.ts), as
 * Tessera's error page for a person, and as JSON only when the request's Accept asks for JSON
 * rather than HTML. A form's mistake is told in words alone; the engine's errors name their code.
 */
export function respondToInteractionError(ctx: Context, err: unknown, logger: Logger): void {
  respondWithError(ctx, err, logger);
  if (ctx.accepts('html', 'json') === 'json') return;
  const { error, error_description: description } = ctx.body as { error: string; error_description: string };
  if (ctx.status >= 500) renderErrorPage(ctx, error, INTERNAL_ERROR_MESSAGE);
  else if (err instanceof FormError) renderErrorPage(ctx, undefined, description);
  else renderErrorPage(ctx, error, err instanceof errors.SessionNotFound ? EXPIRED_MESSAGE : description);
}
