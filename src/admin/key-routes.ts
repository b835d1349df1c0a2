import type { Config } from '../config/load-config.ts';
import type { KeyStore } from '../keys/key-store.ts';
import { RotationBusyError, rotateKeys, rotationTimings } from '../keys/rotate-keys.ts';
import type { RotationPlan } from '../keys/rotation-plan.ts';
import { auditRotation } from '../observability/audit-keys.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { AdminRoute } from './admin-router.ts';
import { pageBody, pageRequest } from './paginate.ts';
import { AdminProblem } from './problem.ts';
import { readJson } from './read-json.ts';

const SCOPE = 'admin:keys';

/** Every key of the key store (CERTS_DIR or Redis), as `tessera keys list` shows them: kid, algorithms, state and since when. */
async function describeKeys(store: KeyStore) {
  const keys = await store.load();
  return keys.keys
    .map((k) => ({ kid: k.kid, file: k.stem, algs: [...k.algs], state: k.state, since: k.since ?? null }))
    .sort((a, b) => (a.kid < b.kid ? -1 : 1));
}

/** The keys area: list, and one rotation step (src/keys/rotate-keys.ts), optionally letting the new key sign at once. */
export function keyRoutes({
  config,
  store,
  reload,
  audit,
}: {
  config: Config;
  store: KeyStore;
  reload: (reason: string) => Promise<void>;
  audit?: Audit | undefined;
}): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/keys',
      scope: SCOPE,
      async handle(ctx) {
        ctx.body = pageBody(await describeKeys(store), (k) => k.kid, pageRequest(ctx));
      },
    },
    {
      method: 'POST',
      path: '/keys/rotate',
      scope: SCOPE,
      audit: { action: 'keys.rotate', target: () => 'keys' },
      async handle(ctx, _params, caller) {
        const body = ctx.get('content-length') && ctx.get('content-length') !== '0' ? await readJson(ctx) : {};
        const { immediately = false, ...rest } = body;
        if (typeof immediately !== 'boolean' || Object.keys(rest).length) {
          throw new AdminProblem(400, 'the body may only hold immediately (true or false)');
        }
        let plan: RotationPlan;
        try {
          plan = await rotateKeys({ config, store, immediately });
        } catch (err) {
          if (err instanceof RotationBusyError) throw new AdminProblem(409, 'another rotation is running; try again');
          throw err;
        }
        if (audit && caller) auditRotation(audit, plan, `client:${caller.clientId}`, ctx.state.requestId as string | undefined);
        await reload(immediately ? 'admin API rotation (immediately)' : 'admin API rotation');
        const retireAfter = rotationTimings(config).retireAfter;
        const iso = (ms: number) => new Date(ms).toISOString();
        ctx.body = {
          generated: plan.generate.map((k) => k.stem),
          promoted: plan.promoted.map(({ key, retired }) => ({
            file: key.stem,
            retired: retired.map((r) => ({ file: r.stem, published_until: r.since === undefined ? null : iso(r.since + retireAfter * 1000) })),
          })),
          dropped: plan.drop.map((k) => k.stem),
          waiting: plan.waiting.map(({ key, signsFrom }) => ({ file: key.stem, signs_from: iso(signsFrom) })),
          keys: await describeKeys(store),
        };
      },
    },
  ];
}
