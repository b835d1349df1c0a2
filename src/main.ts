import type { Server } from 'node:http';

import type { Cluster, Redis } from 'ioredis';
import type { Middleware } from 'koa';

import { createRedisAdapter, createRedisClient, redisReachable } from '../adapters/redis/index.ts';
import type { AdapterConstructor, AdapterFactory } from 'oidc-provider';

import { adminApi } from './admin/admin-api.ts';
import { createAccountGrants } from './provider/account-grants.ts';
import { createAccountSessions } from './provider/account-sessions.ts';
import { createFindAccount } from './accounts/find-account.ts';
import { createLoginThrottle } from './accounts/login-throttle.ts';
import type { LoginThrottle } from './accounts/login-throttle.ts';
import { createMemoryLoginThrottle } from './accounts/memory-login-throttle.ts';
import { createMemoryUserStore } from './accounts/memory-user-store.ts';
import { createRedisUserStore } from './accounts/redis-user-store.ts';
import { throttleLimits, userStoreOptions } from './accounts/settings.ts';
import type { UserStore } from './accounts/user-store.ts';
import { ConfigError } from './config/config-error.ts';
import { loadConfig } from './config/load-config.ts';
import type { Config } from './config/load-config.ts';
import { demoEnabled } from './demo/demo-client.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import { seedDemoUser } from './demo/seed-demo-user.ts';
import { assets } from './interactions/assets.ts';
import { createLoginService } from './interactions/create-login-service.ts';
import { createCsrf } from './interactions/csrf.ts';
import { enginePages } from './interactions/engine-pages.ts';
import { interactionRoutes } from './interactions/interaction-routes.ts';
import { notFoundPage } from './interactions/not-found-page.ts';
import { ensureDevelopmentKeys } from './keys/generate-key.ts';
import { liveKeys, summary } from './keys/live-keys.ts';
import type { LiveKeys } from './keys/live-keys.ts';
import type { KeyStore } from './keys/key-store.ts';
import { openKeyStore } from './keys/open-key-store.ts';
import { RotationBusyError, rotateKeys } from './keys/rotate-keys.ts';
import { createAudit } from './observability/audit-log.ts';
import type { Audit } from './observability/audit-log.ts';
import { auditRotation } from './observability/audit-keys.ts';
import { auditLogger } from './observability/audit-stream.ts';
import { createConfigFingerprint } from './observability/config-fingerprint.ts';
import type { Fingerprint } from './observability/config-fingerprint.ts';
import { startRollCall } from './observability/fleet-roll-call.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import { createLogger, destinationOf } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';
import { loadTracing } from './observability/tracing-load.ts';
import { createProvider, staticClients } from './provider/create-provider.ts';
import { memoryAdapter } from './provider/memory-adapter.ts';
import { validateStaticClients } from './provider/validate-clients.ts';
import { feedRoute, FEED_PATH } from './revocation/feed-route.ts';
import { createMemoryRevocationStore } from './revocation/memory-revocation-store.ts';
import { createRedisRevocationStore } from './revocation/redis-revocation-store.ts';
import type { RevocationStore } from './revocation/revocation-store.ts';
import { revocationsFor } from './revocation/redis-revocations.ts';
import { createServer } from './server.ts';
import { answerMalformedRequests } from './http/malformed-requests.ts';
import type { PathRoute } from './http/path-routes.ts';

/** The one composition root: config → keys → storage → provider → HTTP, and graceful shutdown. */
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
  // Revocations live beside the rest of the state: in Redis when there is one, else in memory.
  let revocationStore: RevocationStore = createMemoryRevocationStore();
  const onGrantEnd = (grantId: string): Promise<void> => revocations.revokeGrant(grantId);
  let adapter: AdapterConstructor | AdapterFactory = memoryAdapter(config.revocation ? onGrantEnd : undefined);
  let users: { store: UserStore; throttle: LoginThrottle };
  let redis: Redis | Cluster | undefined;
  if (config.redis) {
    redis = createRedisClient(config.redis);
    metrics?.redis.instrument(redis);
    traced?.traceRedis(redis);
    redis.on('error', (err: Error) => logger.warn({ event: 'redis.error', err: { message: err.message } }, 'Redis connection problem'));
    await redis.connect().catch((err: Error) => {
      logger.error({ event: 'redis.unreachable', err: { message: err.message } }, 'Redis is unreachable; requests fail with 503 until it answers');
    });
    revocationStore = createRedisRevocationStore({ redis, prefix: config.redisKeyPrefix });
    adapter = createRedisAdapter({ redis, prefix: config.redisKeyPrefix, refreshTokenGrace: config.refreshTokenReuseGrace,
      ...(config.revocation ? { onGrantEnd } : {}) });
    const store = createRedisUserStore(userStoreOptions(config, redis));
    const throttle = createLoginThrottle({ redis, prefix: config.redisKeyPrefix, limits: throttleLimits(config) });
    users = { store, throttle };
    const client = redis;
    readiness.push(async () => ({ name: 'redis', ok: await redisReachable(client), detail: 'unreachable' }));
    closers.push(() => client.quit());
  } else {
    logger.warn({ event: 'store.memory' },
      'REDIS_URL is not set: using the in-memory store; state is neither shared between instances nor kept across restarts');
    users = {
      store: createMemoryUserStore({ hashing: { N: config.passwordScryptN }, minPasswordLength: config.passwordMinLength }),
      throttle: createMemoryLoginThrottle({ limits: throttleLimits(config) }),
    };
  }
  if (!config.production && config.keysStore === 'files') {
    for (const path of ensureDevelopmentKeys(config.certsDir)) {
      logger.warn({ event: 'keys.generated', path }, `generated a development signing key at ${path}; use keys of your own in production`);
    }
  }
  const keyStore = openKeyStore(config, redis);
  const readKeys = () => keyStore.load(config.resourceServers.map((rs) => rs.signingAlg));
  const initialKeys = await readKeys();
  logger.info({ event: 'keys.loaded', keys: summary(initialKeys) }, 'signing keys loaded');

  const revocations = revocationsFor(config, revocationStore);
  const login = createLoginService({ ...users, logger, audit, tracing, metrics: metrics?.signIns });
  const demo = demoEnabled(config);
  if (demo) await seedDemoUser({ store: users.store, logger, issuer: config.issuer });

  const engineDeps = { config, logger, audit, adapter, findAccount: createFindAccount(users.store), pages: enginePages(), tracing, metrics, ...(config.revocation ? { revocations } : {}) };
  const grants = redis ? createAccountGrants({ redis, prefix: config.redisKeyPrefix, adapter, logger, ...(config.revocation ? { onRevoke: onGrantEnd } : {}) }) : undefined;
  const sessions = redis && grants ? createAccountSessions({ redis, prefix: config.redisKeyPrefix, adapter, grants, logger }) : undefined;
  const fingerprint = createConfigFingerprint(config);
  let shared: Fingerprint = fingerprint(initialKeys);
  const signing = liveKeys({
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
  await validateStaticClients(signing.current().built, (staticClients(config) ?? []).map((c) => c.client_id));
  audit({ event: 'config.fingerprint', actor: 'system', target: 'instance', outcome: 'initial', fingerprint: shared });
  readiness.unshift(async () => ({ name: 'keys', ok: signing.current().keys.keys.length > 0 }));
  closers.push(keepKeysCurrent(config, keyStore, logger, audit, signing));
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
    routes.push({ path: FEED_PATH, handle: feedRoute({ issuer: config.issuer, alg: config.resourceServers[0]!.signingAlg,
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
  const server = app.listen(config.port, config.host);
  answerMalformedRequests(server, { logger, https: config.issuer.startsWith('https://') });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ event: 'server.listening', port, issuer: config.issuer, env: config.nodeEnv }, `Tessera listening on port ${port}, issuer ${config.issuer}`);

  // The instance leaves the roll call as soon as it stops accepting: a successor may start while it drains.
  handleShutdown(server, config, logger, { leave: rollCall ? [() => rollCall.stop()] : [], closers });
}

/**
 * Applies changed keys without a restart: on file-system events in CERTS_DIR (or notifications from Redis), every
 * KEYS_RELOAD_INTERVAL, and on SIGHUP; with KEY_ROTATION_INTERVAL, also rotates them on schedule.
 * Returns what stops it all.
 */
function keepKeysCurrent(config: Config, store: KeyStore, logger: Logger, audit: Audit, signing: LiveKeys<unknown>): () => Promise<void> {
  const stopWatching = store.watch(config.keysReloadInterval, () => void signing.reload(`${store.label} changed`));
  const onHangup = (): void => void signing.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  let schedule: NodeJS.Timeout | undefined;
  if (config.keyRotationInterval > 0) {
    const check = async (): Promise<void> => {
      try {
        const plan = await rotateKeys({ config, store, scheduled: true });
        if (plan.generate.length || plan.promoted.length || plan.drop.length) {
          logger.info({ event: 'keys.rotated', generated: plan.generate.map((k) => k.stem), promoted: plan.promoted.map((p) => p.key.stem),
            dropped: plan.drop.map((k) => k.stem) }, 'signing keys rotated on schedule');
          auditRotation(audit, plan, 'system');
          await signing.reload('scheduled rotation');
        }
      } catch (err) {
        if (!(err instanceof RotationBusyError)) {
          logger.error({ event: 'keys.rotation_failed', err: { message: (err as Error).message } }, 'scheduled key rotation failed; it is tried again');
        }
      }
    };
    schedule = setInterval(() => void check(), Math.min(60, Math.max(1, Math.floor(config.keyRotationInterval / 10))) * 1000);
    schedule.unref();
    void check();
  }
  return async () => {
    await stopWatching();
    process.off('SIGHUP', onHangup);
    clearInterval(schedule);
  };
}

/** What stops with the server: `leave` when the signal arrives, `closers` once in-flight requests have finished. */
interface Stoppers {
  readonly leave: readonly (() => Promise<unknown>)[];
  readonly closers: readonly (() => Promise<unknown>)[];
}

/** On SIGTERM/SIGINT: stop accepting and leave the fleet, let in-flight requests finish (bounded), close storage, exit 0. */
function handleShutdown(server: Server, config: Config, logger: Logger, { leave, closers }: Stoppers): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const left = Promise.allSettled(leave.map((go) => go()));
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeout * 1000);
    // Keep-alive connections become idle as their last request ends: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    force.unref();
    server.close(async () => {
      clearTimeout(force);
      clearInterval(sweep);
      // Storage closes after leaving: the roll call's last command needs Redis.
      await left;
      await Promise.allSettled(closers.map((close) => close()));
      logger.info({ event: 'server.stopped' }, 'stopped');
      logger.flush?.();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
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
