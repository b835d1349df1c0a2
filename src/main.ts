import { createFindAccount } from './accounts/find-account.ts';
import { ConfigError } from './config/config-error.ts';
import { loadConfig } from './config/load-config.ts';
import { demoClient, demoEnabled } from './demo/demo-client.ts';
import { seedDemoUser } from './demo/seed-demo-user.ts';
import { handleShutdown } from './http/handle-shutdown.ts';
import { startListening } from './http/start-listening.ts';
import { createLoginService } from './interactions/create-login-service.ts';
import { enginePages } from './interactions/engine-pages.ts';
import { notFoundPage } from './interactions/not-found-page.ts';
import { keepKeysCurrent } from './keys/keep-keys-current.ts';
import { rebuildOnKeyChange } from './keys/rebuild-on-key-change.ts';
import { createAudit } from './observability/audit-log.ts';
import { auditRotation } from './observability/audit-keys.ts';
import { auditLogger } from './observability/audit-stream.ts';
import { createConfigFingerprint } from './observability/config-fingerprint.ts';
import { fingerprintAudit } from './observability/fingerprint-audit.ts';
import { startRollCall } from './observability/fleet-roll-call.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import { createLogger } from './observability/logger.ts';
import { destinationOf } from './observability/pino-stream.ts';
import { loadTracing } from './observability/tracing-load.ts';
import { openSigningKeys } from './open-signing-keys.ts';
import { openStorage } from './open-storage.ts';
import { createAccountGrants } from './provider/account-grants.ts';
import { createAccountSessions } from './provider/account-sessions.ts';
import { createClientChanges } from './provider/client-changes.ts';
import { createProvider } from './provider/create-provider.ts';
import { staticClients } from './provider/static-clients.ts';
import { validateStaticClients } from './provider/validate-clients.ts';
import { revocationsFor } from './revocation/redis-revocations.ts';
import { createServer } from './server.ts';
import { surfaceRoutes } from './surface-routes.ts';

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
    config,
    logger,
    metrics,
    traceRedis: traced && ((r) => traced.traceRedis(r)),
    onGrantEnd: config.revocation ? onGrantEnd : undefined,
  });
  if (ready) readiness.push(ready);
  if (close) closers.push(close);
  const { keyStore, readKeys, initialKeys } = await openSigningKeys(config, redis, logger);

  const revocations = revocationsFor(config, revocationStore);
  const login = createLoginService({ ...users, logger, audit, tracing, metrics: metrics?.signIns });
  const demo = demoEnabled(config);
  if (demo) await seedDemoUser({ store: users.store, logger, issuer: config.issuer });

  const clients = staticClients(config, demo ? [demoClient(config.issuer)] : []);
  const clientChanges = redis && config.clientCacheTTL > 0 ? createClientChanges(redis, config.redisKeyPrefix) : undefined;
  if (clientChanges) closers.push(() => clientChanges.close());
  const engineDeps = {
    config,
    clients,
    logger,
    audit,
    adapter,
    findAccount: createFindAccount(users.store),
    pages: enginePages(),
    tracing,
    metrics,
    clientChanges,
    ...(config.revocation ? { revocations } : {}),
  };
  const grants = redis
    ? createAccountGrants({ redis, prefix: config.redisKeyPrefix, adapter, logger, ...(config.revocation ? { onRevoke: onGrantEnd } : {}) })
    : undefined;
  const sessions = redis && grants ? createAccountSessions({ redis, prefix: config.redisKeyPrefix, adapter, grants, logger }) : undefined;
  const fingerprint = createConfigFingerprint(config);
  const fingerprints = fingerprintAudit(fingerprint, initialKeys, audit);
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
    onSwap: ({ keys }) => fingerprints.swapped(keys),
  });
  const clientIds = clients.map((c) => c.client_id);
  await validateStaticClients(signing.current().built, clientIds);
  fingerprints.initial();
  readiness.unshift(async () => ({ name: 'keys', ok: signing.current().keys.keys.length > 0 }));
  closers.push(keepKeysCurrent(config, keyStore, logger, signing, (plan) => auditRotation(audit, plan, 'system')));
  const ownFingerprint = () => fingerprint(signing.current().keys);
  const rollCall =
    redis &&
    (await startRollCall({ redis, prefix: config.redisKeyPrefix, fingerprint: ownFingerprint, logger, audit, interval: config.fleetRollCallInterval }));
  if (metricsKit && metrics) {
    const { keyMetrics, fleetMetrics } = metricsKit;
    keyMetrics(metrics.registry, { keys: () => signing.current().keys, rotationInterval: config.keyRotationInterval });
    if (rollCall) fleetMetrics(metrics.registry, () => rollCall.status());
  }

  const provider = () => signing.current().built;
  const keys = () => signing.current().keys;
  const reloadKeys = (reason: string) => signing.reload(reason);
  const surface = { config, provider, keys, reloadKeys, login, logger, audit, revocationStore, revocations, demo, redis, keyStore, grants, sessions };
  const routes = surfaceRoutes({ ...surface, users: users.store, announceClientChange: clientChanges?.announce });
  const readyInfo = () => ({ fingerprint: ownFingerprint(), ...(rollCall ? { fleet: rollCall.status() } : {}) });
  const spans = traced ? { tracing: traced.tracing, requestSpans: traced.requestSpans } : {};
  const app = createServer({ config, provider, keys, logger, readiness, routes, notFoundPage, ...spans, readyInfo, metrics: metrics?.http });
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
