import type { Middleware } from 'koa';

import { adminApi } from './admin/admin-api.ts';
import { createFindAccount } from './accounts/find-account.ts';
import { ConfigError } from './config/config-error.ts';
import { defaultResourceServer } from './config/default-resource-server.ts';
import { loadConfig } from './config/load-config.ts';
import { demoClient, demoEnabled } from './demo/demo-client.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import { seedDemoUser } from './demo/seed-demo-user.ts';
import { handleShutdown } from './http/handle-shutdown.ts';
import type { PathRoute } from './http/path-routes.ts';
import { startListening } from './http/start-listening.ts';
import { assets } from './interactions/assets.ts';
import { createLoginService } from './interactions/create-login-service.ts';
import { createCsrf } from './interactions/csrf.ts';
import { enginePages } from './interactions/engine-pages.ts';
import { interactionRoutes } from './interactions/interaction-routes.ts';
import { notFoundPage } from './interactions/not-found-page.ts';
import { ensureDevelopmentKeys } from './keys/generate-key.ts';
import { keepKeysCurrent } from './keys/keep-keys-current.ts';
import { keySummary } from './keys/key-summary.ts';
import { openKeyStore } from './keys/open-key-store.ts';
import { rebuildOnKeyChange } from './keys/rebuild-on-key-change.ts';
import { createAudit } from './observability/audit-log.ts';
import { auditRotation } from './observability/audit-keys.ts';
import { auditLogger } from './observability/audit-stream.ts';
import { createConfigFingerprint } from './observability/config-fingerprint.ts';
import type { Fingerprint } from './observability/config-fingerprint.ts';
import { startRollCall } from './observability/fleet-roll-call.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import { createLogger } from './observability/logger.ts';
import { destinationOf } from './observability/pino-stream.ts';
import { loadTracing } from './observability/tracing-load.ts';
import { openStorage } from './open-storage.ts';
import { createAccountGrants } from './provider/account-grants.ts';
import { createAccountSessions } from './provider/account-sessions.ts';
import { createProvider } from './provider/create-provider.ts';
import { staticClients } from './provider/static-clients.ts';
import { validateStaticClients } from './provider/validate-clients.ts';
import { feedRoute, FEED_PATH } from './revocation/feed-route.ts';
import { revocationsFor } from './revocation/redis-revocations.ts';
import { createServer } from './server.ts';

/** The one composition root: config → keys → storage → provider → HTTP; src/http/handle-shutdown.ts stops it. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const audit = createAudit(auditLogger(config.auditLog, { stdout: destinationOf(logger) }));
  const traced = await loadTracing(config.tracing, logger);
  const tracing = traced?.tracing;

  // Metrics only with a listener for them (METRICS_PORT): otherwise nothing counts, at no cost.
  const metricsKit = config.metricsPort ? await import('./observability/metrics-kit.ts') : undefined;
  const metrics = metricsKit?.createMetrics({ audiences: config.resourceServers.map((rs) => rs.audience) });
  const readiness: ReadinessCheck[] = [];
  // Closed once in-flight requests are done: it sends the spans still buffered.
  const closers: (() => Promise<unknown>)[] = traced ? [() => traced.shutdown()] : [];
  const onGrantEnd = (grantId: string): Promise<void> => revocations.revokeGrant(grantId);
  const { redis, adapter, users, revocationStore, ready, close } = await openStorage({
    config, logger, metrics, traceRedis: traced && ((r) => traced.traceRedis(r)), onGrantEnd: config.revocation ? onGrantEnd : undefined,
  });
  if (ready) readiness.push(ready);
  if (close) closers.push(close);
  if (!config.production && config.keysStore === 'files') {
    for (const path of ensureDevelopmentKeys(config.certsDir)) {
      logger.warn({ event: 'keys.generated', path }, `generated a development signing key at ${path}; use keys of your own in production`);
    }
  }
  const keyStore = openKeyStore(config, redis);
  const readKeys = () => keyStore.load(config.resourceServers.map((rs) => rs.signingAlg));
  const initialKeys = await readKeys();
  logger.info({ event: 'keys.loaded', keys: keySummary(initialKeys) }, 'signing keys loaded');

  const revocations = revocationsFor(config, revocationStore);
  const login = createLoginService({ ...users, logger, audit, tracing, metrics: metrics?.signIns });
  const demo = demoEnabled(config);
  if (demo) await seedDemoUser({ store: users.store, logger, issuer: config.issuer });

  const clients = staticClients(config, demo ? [demoClient(config.issuer)] : []);
  const engineDeps = { config, clients, logger, audit, adapter, findAccount: createFindAccount(users.store), pages: enginePages(), tracing, metrics,
    ...(config.revocation ? { revocations } : {}) };
  const grants = redis ? createAccountGrants({ redis, prefix: config.redisKeyPrefix, adapter, logger, ...(config.revocation ? { onRevoke: onGrantEnd } : {}) }) : undefined;
  const sessions = redis && grants ? createAccountSessions({ redis, prefix: config.redisKeyPrefix, adapter, grants, logger }) : undefined;
  const fingerprint = createConfigFingerprint(config);
  let shared: Fingerprint = fingerprint(initialKeys);
  const signing = rebuildOnKeyChange({
    initial: initialKeys,
    load: readKeys,
    build: (keys) => {
      const built = createProvider({ ...engineDeps, keys });
      grants?.track(built);
      sessions?.track(built);
      return built;
    },
    logger,
    onSwap: ({ keys }) => {
      const next = fingerprint(keys);
      if (next.config !== shared.config || next.keys !== shared.keys) {
        audit({ event: 'config.fingerprint', actor: 'system', target: 'instance', outcome: 'changed', fingerprint: next, previous: shared });
      }
      shared = next;
    },
  });
  await validateStaticClients(signing.current().built, clients.map((c) => c.client_id));
  audit({ event: 'config.fingerprint', actor: 'system', target: 'instance', outcome: 'initial', fingerprint: shared });
  readiness.unshift(async () => ({ name: 'keys', ok: signing.current().keys.keys.length > 0 }));
  closers.push(keepKeysCurrent(config, keyStore, logger, signing, (plan) => auditRotation(audit, plan, 'system')));
  const rollCall = redis
    ? await startRollCall({ redis, prefix: config.redisKeyPrefix, fingerprint: () => fingerprint(signing.current().keys), logger, audit,
      interval: config.fleetRollCallInterval })
    : undefined;
  if (metricsKit && metrics) {
    const { keyMetrics, fleetMetrics } = metricsKit;
    keyMetrics(metrics.registry, { keys: () => signing.current().keys, rotationInterval: config.keyRotationInterval });
    if (rollCall) fleetMetrics(metrics.registry, () => rollCall.status());
  }

  const provider = () => signing.current().built;
  const routes: (PathRoute | Middleware)[] = [
    { path: '/assets/tessera.css', handle: assets() },
    { path: '/interaction/', handle: interactionRoutes({ provider, csrf: createCsrf(config.cookieKeys), login, logger, audit }) },
  ];
  if (config.revocation) {
    routes.push({ path: FEED_PATH, handle: feedRoute({ issuer: config.issuer, alg: defaultResourceServer(config).signingAlg,
      keys: () => signing.current().keys, store: revocationStore }) });
  }
  if (demo) routes.push(demoRoutes({ config, logger }));
  if (redis && grants && sessions) routes.push(adminApi({ config, redis, users: users.store, grants, sessions, keys: () => signing.current().keys, keyStore, revocations: config.revocation ? revocations : undefined,
    reloadKeys: (reason) => signing.reload(reason), logger, audit }));
  const app = createServer({
    config, provider, keys: () => signing.current().keys, logger, readiness, routes, notFoundPage,
    ...(traced ? { tracing: traced.tracing, requestSpans: traced.requestSpans } : {}),
    readyInfo: () => ({ fingerprint: fingerprint(signing.current().keys), ...(rollCall ? { fleet: rollCall.status() } : {}) }),
    metrics: metrics?.http,
  });
  if (metricsKit && metrics) {
    const listener = await metricsKit.startMetricsServer({ registry: metrics.registry, host: config.metricsHost, port: config.metricsPort, logger });
    closers.push(() => listener.close());
  }
  const server = await startListening(app, { config, logger });

  // The instance leaves the roll call as soon as it stops accepting: a successor may start while it drains.
  handleShutdown(server, config, logger, { leave: rollCall ? [() => rollCall.stop()] : [], closers });
}

try {
  await main();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Tessera failed to start: ${(err as Error).message}\n`);
  }
  process.exit(1);
}
