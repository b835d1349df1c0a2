import type { Context, Middleware } from 'koa';

import type { AdminScope } from '../provider/admin-audience.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { AdminAuth, AdminCaller } from './admin-auth.ts';
import { auditAdminChange } from './audit.ts';
import { AdminProblem, respondWithProblem } from './problem.ts';

/** One operation of the admin API. */
export interface AdminRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the prefix, with `{name}` for a path parameter: `/clients/{client_id}`. */
  readonly path: string;
  /** The area's scope; `undefined`: public (the OpenAPI document). */
  readonly scope?: AdminScope;
  /** For a change: its audit action, e.g. `client.create`, and the target it names. */
  readonly audit?: { readonly action: string; readonly target: (params: Record<string, string>) => string };
  handle(ctx: Context, params: Record<string, string>, caller: AdminCaller | undefined): Promise<void> | void;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AdminProblem(400, 'the path is not properly percent-encoded');
  }
}

function matcher(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
}

/** Dispatches the requests below `prefix` to their routes: authentication, errors as problems, audit events. */
export function adminRouter({
  prefix,
  routes,
  auth,
  logger,
  audit = createAudit(logger),
}: {
  prefix: string;
  routes: readonly AdminRoute[];
  auth: AdminAuth;
  logger: Logger;
  audit?: Audit | undefined;
}): Middleware {
  const compiled = routes.map((route) => ({ route, pattern: matcher(route.path) }));
  return async (ctx) => {
    const path = ctx.path.slice(prefix.length);
    let caller: AdminCaller | undefined;
    let found: AdminRoute | undefined;
    let params: Record<string, string> = {};
    try {
      const matching = compiled.filter((c) => c.pattern.test(path));
      if (!matching.length) throw new AdminProblem(404, `no admin API operation at ${ctx.path}`);
      const hit = matching.find((c) => c.route.method === ctx.method);
      if (!hit) {
        throw new AdminProblem(405, `${ctx.method} is not allowed here`, { headers: { Allow: matching.map((c) => c.route.method).join(', ') } });
      }
      found = hit.route;
      params = Object.fromEntries(Object.entries(hit.pattern.exec(path)!.groups ?? {}).map(([k, v]) => [k, decode(v)]));
      ctx.set('Cache-Control', 'no-store');
      if (found.scope) caller = auth(ctx, found.scope);
      await found.handle(ctx, params, caller);
    } catch (err) {
      respondWithProblem(ctx, err, logger);
    }
    if (found?.audit && caller) {
      auditAdminChange(audit, ctx.state.requestId as string | undefined, {
        actor: caller.clientId,
        action: found.audit.action,
        target: found.audit.target(params),
        outcome: ctx.status < 400 ? 'success' : 'failure',
        status: ctx.status,
      });
    }
  };
}
