import type { Cluster, Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { Provider } from 'oidc-provider';

import type { UserStore } from './accounts/user-store.ts';
import { adminApi } from './admin/admin-api.ts';
import { defaultResourceServer } from './config/default-resource-server.ts';
import type { Config } from './config/load-config.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import type { PathRoute } from './http/path-routes.ts';
import { assets } from './interactions/assets.ts';
import { createCsrf } from './interactions/csrf.ts';
import { interactionRoutes } from './interactions/interaction-routes.ts';
import type { LoginService } from './interactions/login-service.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { KeySet } from './keys/load-keys.ts';
import type { Audit } from './observability/audit-log.ts';
import type { Logger } from './observability/logger.ts';
import type { AccountGrants } from './provider/account-grants.ts';
import type { AccountSessions } from './provider/account-sessions.ts';
import { FEED_PATH, feedRoute } from './revocation/feed-route.ts';
import type { RevocationStore } from './revocation/revocation-store.ts';
import type { Revocations } from './revocation/revocations.ts';

/** What the routes beside the engine are built from. */
export interface SurfaceDeps {
  readonly config: Config;
  readonly provider: () => Provider;
  readonly keys: () => KeySet;
  readonly reloadKeys: (reason: string) => Promise<void>;
  readonly login: LoginService;
  readonly logger: Logger;
  readonly audit: Audit;
  readonly revocationStore: RevocationStore;
  readonly revocations: Revocations;
  readonly demo: boolean;
  /** Redis and what lives there: without them there is no admin API. */
  readonly redis?: Redis | Cluster | undefined;
  readonly users: UserStore;
  readonly keyStore: KeyStore;
  readonly grants?: AccountGrants | undefined;
  readonly sessions?: AccountSessions | undefined;
  /** Announces a change of a stored client to every instance, this one at once. */
  readonly announceClientChange?: ((clientId: string) => Promise<void>) | undefined;
}

/** Tessera's own routes beside the engine's: assets, interactions, the revocation feed, the demo and the admin API, each where its settings turn it on. */
export function surfaceRoutes(deps: SurfaceDeps): (PathRoute | Middleware)[] {
  const { config, provider, keys, login, logger, audit, redis, grants, sessions } = deps;
  const routes: (PathRoute | Middleware)[] = [
    { path: '/assets/tessera.css', handle: assets() },
    { path: '/interaction/', handle: interactionRoutes({ provider, csrf: createCsrf(config.cookieKeys), login, logger, audit }) },
  ];
  if (config.revocation) {
    const alg = defaultResourceServer(config).signingAlg;
    routes.push({ path: FEED_PATH, handle: feedRoute({ issuer: config.issuer, alg, keys, store: deps.revocationStore }) });
  }
  if (deps.demo) routes.push(demoRoutes({ config, logger }));
  if (redis && grants && sessions) {
    const revocations = config.revocation ? deps.revocations : undefined;
    const { users, keyStore, reloadKeys, announceClientChange } = deps;
    routes.push(adminApi({ config, redis, users, grants, sessions, keys, keyStore, revocations, reloadKeys, logger, audit, announceClientChange }));
  }
  return routes;
}
