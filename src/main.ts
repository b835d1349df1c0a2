import type { Server } from 'node:http';

import type { Middleware } from 'koa';

import { createRedisAdapter, createRedisClient, redisReachable } from '../adapters/redis/index.ts';
import type { AdapterConstructor, AdapterFactory } from 'oidc-provider';

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
import { ensureDevelopmentKeys } from './keys/generate-key.ts';
import { loadKeys } from './keys/load-keys.ts';
import type { ReadinessCheck } from './observability/health-routes.ts';
import { createLogger } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';
import { createProvider, staticClients } from './provider/create-provider.ts';
import { memoryAdapter } from './provider/memory-adapter.ts';
import { validateStaticClients } from './provider/validate-clients.ts';
import { createServer } from './server.ts';
import type { PathRoute } from './http/path-routes.ts';

/** The one composition root: config → keys → storage → provider → HTTP, and graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);

  if (!config.production) {
    for (const path of ensureDevelopmentKeys(config.certsDir)) {
      logger.warn({ event: 'keys.generated', path }, `generated a development signing key at ${path}; use keys of your own in production`);
    }
  }
  const keys = await loadKeys({
    dir: config.certsDir,
    passphrase: config.certsPassphrase,
    requiredAlgs: config.resourceServers.map((rs) => rs.signingAlg),
  });
  logger.info({ event: 'keys.loaded', keys: keys.keys.map((k) => ({ kid: k.kid, algs: k.algs, source: k.source })) }, 'signing keys loaded');

  const readiness: ReadinessCheck[] = [async () => ({ name: 'keys', ok: keys.keys.length > 0 })];
  const closers: (() => Promise<unknown>)[] = [];
  let adapter: AdapterConstructor | AdapterFactory = memoryAdapter();
  let users: { store: UserStore; throttle: LoginThrottle };
  if (config.redis) {
    const redis = createRedisClient(config.redis);
    redis.on('error', (err: Error) => logger.warn({ event: 'redis.error', err: { message: err.message } }, 'Redis connection problem'));
    await redis.connect().catch((err: Error) => {
      logger.error({ event: 'redis.unreachable', err: { message: err.message } }, 'Redis is unreachable; requests fail with 503 until it answers');
    });
    adapter = createRedisAdapter({ redis, prefix: config.redisKeyPrefix, refreshTokenGrace: config.refreshTokenReuseGrace });
    const store = createRedisUserStore(userStoreOptions(config, redis));
    const throttle = createLoginThrottle({ redis, prefix: config.redisKeyPrefix, limits: throttleLimits(config) });
    users = { store, throttle };
    readiness.push(async () => ({ name: 'redis', ok: await redisReachable(redis), detail: 'unreachable' }));
    closers.push(() => redis.quit());
  } else {
    logger.warn({ event: 'store.memory' },
      'REDIS_URL is not set: using the in-memory store; state is neither shared between instances nor kept across restarts');
    users = {
      store: createMemoryUserStore({ hashing: { N: config.passwordScryptN }, minPasswordLength: config.passwordMinLength }),
      throttle: createMemoryLoginThrottle({ limits: throttleLimits(config) }),
    };
  }
  const login = createLoginService({ ...users, logger });
  const demo = demoEnabled(config);
  if (demo) await seedDemoUser({ store: users.store, logger, issuer: config.issuer });

  const provider = createProvider({ config, keys, logger, adapter, findAccount: createFindAccount(users.store), pages: enginePages() });
  await validateStaticClients(provider, (staticClients(config) ?? []).map((c) => c.client_id));
  const routes: (PathRoute | Middleware)[] = [
    { path: '/assets/tessera.css', handle: assets() },
    { path: '/interaction/', handle: interactionRoutes({ provider, csrf: createCsrf(config.cookieKeys), login, logger }) },
  ];
  if (demo) routes.push(demoRoutes({ config, logger }));
  const app = createServer({ config, provider, keys: () => keys, logger, readiness, routes });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ event: 'server.listening', port, issuer: config.issuer, env: config.nodeEnv }, `Tessera listening on port ${port}, issuer ${config.issuer}`);

  handleShutdown(server, config, logger, closers);
}

/** On SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded), close storage, exit 0. */
function handleShutdown(server: Server, config: Config, logger: Logger, closers: (() => Promise<unknown>)[]): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeout * 1000);
    // Keep-alive connections become idle as their last request ends: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    force.unref();
    server.close(async () => {
      clearTimeout(force);
      clearInterval(sweep);
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
