import type { Configuration } from 'oidc-provider';

import { INTERNAL_ERROR_MESSAGE, renderErrorPage } from './error-page.ts';
import { originsOf, renderPage } from './render-page.ts';

type Features = NonNullable<Configuration['features']>;
type Logout = NonNullable<Features['rpInitiatedLogout']>;

/** Messages for the error codes a person can meet; anything else gets a generic one. */
const MESSAGES: Record<string, string> = {
  invalid_redirect_uri: 'The application sent you here with an address Tessera does not know, so you were not sent back to it.',
  invalid_request: 'The application sent an invalid sign-in request.',
  invalid_client: 'The application is not known to Tessera.',
  access_denied: 'Access was denied.',
};

/** Tessera's pages for the engine: errors, the logout question, and the signed-out page. */
export function enginePages(): {
  renderError: NonNullable<Configuration['renderError']>;
  logoutSource: NonNullable<Logout['logoutSource']>;
  postLogoutSuccessSource: NonNullable<Logout['postLogoutSuccessSource']>;
} {
  return {
    async renderError(ctx, out) {
      // The engine has set the status; the description stays out of the page when it is internal.
      const message =
        MESSAGES[out.error] ?? (ctx.status >= 500 ? INTERNAL_ERROR_MESSAGE : String(out.error_description ?? 'The request could not be completed.'));
      renderErrorPage(ctx, out.error, message);
    },
    async logoutSource(ctx, form) {
      // The form ends in a redirect to the client's post_logout_redirect_uri: form-action must allow it.
      renderPage(ctx, 'logout', { title: 'Sign out', form, clientName: ctx.oidc.client?.clientName ?? '' }, originsOf(ctx.oidc.client?.postLogoutRedirectUris));
    },
    async postLogoutSuccessSource(ctx) {
      renderPage(ctx, 'logged-out', { title: 'Signed out', clientName: ctx.oidc.client?.clientName ?? '' });
    },
  };
}
