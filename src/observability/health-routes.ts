import type { Middleware } from 'koa';

/** One readiness check: its name, and whether it passes (with a short reason when not). */
export type ReadinessCheck = () => Promise<{ name: string; ok: boolean; detail?: string }>;

/**
 * `/healthz`: the process is alive. `/readyz`: every check passes (503 otherwise), with each
 * check's result; `extra` adds fields such as the shared-configuration fingerprint.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], extra: () => Record<string, unknown> = () => ({})): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path !== '/readyz') return next();
    const results = await Promise.all(
      checks.map((check) =>
        check().catch((err: Error) => ({
          name: 'check',
          ok: false,
          detail: err.message,
        })),
      ),
    );
    const ready = results.every((r) => r.ok);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : (r.detail ?? 'failed')])),
      ...extra(),
    };
  };
}
