import type { Context, Middleware, Next } from 'koa';
import type { Provider } from 'oidc-provider';

import type { AuditActor } from '../observability/audit-catalogue.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { Csrf } from './csrf.ts';
import { finishConsent } from './finish-consent.ts';
import { respondToInteractionError } from './interaction-errors.ts';
import type { LoginService } from './login-service.ts';
import { FormError, readForm } from './read-form.ts';
import { originsOf, renderPage } from './render-page.ts';
import { describeScope } from './scope-descriptions.ts';

export interface InteractionDeps {
  /** The engine in use now (it is rebuilt when the signing keys change). */
  readonly provider: () => Provider;
  readonly csrf: Csrf;
  readonly login: LoginService;
  readonly logger: Logger;
  /** Where consent is audited (AUDIT_LOG); default the log itself. */
  readonly audit?: Audit | undefined;
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The scopes the consent prompt asks for: OpenID scopes and resource scopes, each once. */
function consented(details: InteractionDetails): string[] {
  return [
    ...new Set([
      ...((details.prompt.details.missingOIDCScope as string[] | undefined) ?? []),
      ...Object.values((details.prompt.details.missingResourceScopes as Record<string, string[]> | undefined) ?? {}).flat(),
    ]),
  ];
}

const ROUTE = /^\/interaction\/([\w-]{1,64})(?:\/(login|confirm|abort))?$/;

/**
 * The login and consent pages between the authorization request and the code: GET shows the
 * page the engine's prompt asks for; POST login / confirm / abort finish the interaction.
 * Errors come back as the error page (see interaction-errors.ts).
 */
export function interactionRoutes({ provider: currentProvider, csrf, login, logger, audit = createAudit(logger) }: InteractionDeps): Middleware {
  const interact = async (ctx: Context, next: Next, uid: string, action: string | undefined): Promise<void> => {
    const provider = currentProvider();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) throw new FormError(400, 'This sign-in link does not belong to this browser session.');
    const client = await provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    const targets = originsOf(client?.redirectUris);
    const page = (view: string, data: Record<string, unknown>, status = 200): void => {
      ctx.status = status;
      renderPage(ctx, view, { uid, csrf: csrf.token(uid), clientName, ...data }, targets);
    };

    if (!action) {
      if (ctx.method !== 'GET') return next();
      if (details.prompt.name === 'login') return page('login', { title: 'Sign in', username: '', message: '' });
      return page('consent', { title: 'Allow access', scopes: consented(details).map(describeScope) });
    }
    if (ctx.method !== 'POST') return next();
    const form = await readForm(ctx);
    if (!csrf.verify(uid, form.get('csrf'))) throw new FormError(403, 'This form has expired. Go back to the application and sign in again.');

    const clientId = String(details.params.client_id);
    const actor: AuditActor = details.session?.accountId ? `user:${details.session.accountId}` : 'anonymous';
    const party = { actor, target: `client:${clientId}`, requestId: ctx.state.requestId as string | undefined } as const;
    if (action === 'abort') {
      if (details.prompt.name === 'consent') audit({ event: 'consent.denied', outcome: 'denied', ...party });
      return provider.interactionFinished(
        ctx.req,
        ctx.res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === 'login') {
      if (details.prompt.name !== 'login') throw new FormError(400, 'This sign-in step is already done.');
      const username = form.get('username') ?? '';
      const result = await login.login(username, form.get('password') ?? '', ctx.ip, { requestId: party.requestId, clientId });
      if (result.outcome === 'throttled') {
        ctx.set('Retry-After', String(result.retryAfter));
        return page('login', { title: 'Sign in', username, message: `Too many attempts. Try again in ${result.retryAfter} seconds.` }, 429);
      }
      if (result.outcome === 'invalid') {
        return page('login', { title: 'Sign in', username, message: 'Wrong username or password.' }, 401);
      }
      return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: result.accountId } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name !== 'consent') throw new FormError(400, 'This consent step is already done.');
    const consent = await finishConsent(provider, details);
    audit({ event: 'consent.given', outcome: 'success', ...party, grantId: consent.grantId ?? details.grantId ?? '', scope: consented(details).join(' ') });
    return provider.interactionFinished(ctx.req, ctx.res, { consent }, { mergeWithLastSubmission: true });
  };

  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match as unknown as [string, string, string | undefined];
    try {
      await interact(ctx, next, uid, action);
    } catch (err) {
      respondToInteractionError(ctx, err, logger);
    }
  };
}
