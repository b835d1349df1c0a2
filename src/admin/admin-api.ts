import type { Cluster, Redis } from 'ioredis';

import type { UserStore } from '../accounts/user-store.ts';
import { defaultResourceServer } from '../config/default-resource-server.ts';
import type { Config } from '../config/load-config.ts';
import type { PathRoute } from '../http/path-routes.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { AccountGrants } from '../provider/account-grants.ts';
import type { AccountSessions } from '../provider/account-sessions.ts';
import { openStoredClients } from '../provider/open-stored-clients.ts';
import { createAdminAuth } from './admin-auth.ts';
import { adminRouter } from './admin-router.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { clientRoutes } from './client-routes.ts';
import { grantRoutes } from './grant-routes.ts';
import { keyRoutes } from './key-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { userRoutes } from './user-routes.ts';
import { openApiDocument } from './openapi-document.ts';

/** Where the admin API lives on Tessera's port. */
export const ADMIN_PREFIX = '/admin/v1';

/** The admin API (JSON over HTTP, described at `/admin/v1/openapi.json`), on the modules the CLI uses. */
export function adminApi({
  config,
  redis,
  users,
  grants,
  sessions,
  keys,
  keyStore,
  reloadKeys,
  logger,
  audit = createAudit(logger),
  revocations,
  announceClientChange,
}: {
  config: Config;
  /** Tells every instance, this one at once, that a stored client changed (src/provider/client-changes.ts). */
  announceClientChange?: ((clientId: string) => Promise<void>) | undefined;
  redis: Redis | Cluster;
  users: UserStore;
  grants: AccountGrants;
  keys: () => KeySet;
  logger: Logger;
  /** Where changes are audited (AUDIT_LOG); default the log itself. */
  audit?: Audit | undefined;
  /** The browser sessions of each user (ended ones revoke their grants through `grants`). */
  sessions: AccountSessions;
  /** Ends the access tokens of disabled or deleted users and removed clients at every resource server. */
  revocations?: Pick<Revocations, 'revokeSubject' | 'revokeClient'> | undefined;
  /** Where the signing keys live (KEYS_STORE): listed and rotated by /keys. */
  keyStore: KeyStore;
  /** Applies changed keys of CERTS_DIR to this instance now (the others follow on their reload). */
  reloadKeys: (reason: string) => Promise<void>;
}): PathRoute {
  const document = openApiDocument({ issuer: config.issuer, prefix: ADMIN_PREFIX });
  const auth = createAdminAuth({ issuer: config.issuer, keys, algorithms: [defaultResourceServer(config).signingAlg] });
  const routes = [
    {
      method: 'GET' as const,
      path: '/openapi.json',
      handle: (ctx: { body: unknown }) => {
        ctx.body = document;
      },
    },
    ...clientRoutes({ clients: openStoredClients(config, redis, announceClientChange), rotationGrace: config.clientSecretRotationGrace, revocations }),
    ...userRoutes({ users, revocations }),
    ...keyRoutes({ config, store: keyStore, reload: reloadKeys, audit }),
    ...grantRoutes({ users, grants }),
    ...sessionRoutes({ users, sessions }),
  ];
  return { path: `${ADMIN_PREFIX}/`, handle: adminRouter({ prefix: ADMIN_PREFIX, routes, auth, logger, audit }) };
}
