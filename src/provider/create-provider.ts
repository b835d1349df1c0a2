import { Provider } from 'oidc-provider';
import type { AdapterConstructor, AdapterFactory, Configuration, FindAccount } from 'oidc-provider';

import { SCOPE_CLAIMS } from '../accounts/account-claims.ts';
import { defaultResourceServer } from '../config/default-resource-server.ts';
import type { Config } from '../config/load-config.ts';
import { createJwtSigner } from '../keys/jwt-signer.ts';
import type { KeySet } from '../keys/load-keys.ts';
import { createAudit } from '../observability/audit-log.ts';
import type { Audit } from '../observability/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics-registry.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { registerTokenExchange } from '../token-exchange/token-exchange-grant.ts';
import { dpopFeature } from './dpop-feature.ts';
import { extraTokenClaims } from './embedded-tokens.ts';
import { engineSigningKeys } from './engine-signing-keys.ts';
import { EXTERNAL_SIGNING } from './engine/external-signing.ts';
import { ADMIN_INDICATOR, adminResourceServer } from './admin-audience.ts';
import { cacheClients } from './cached-client-find.ts';
import type { ClientChanges } from './client-changes.ts';
import { clientMetadataExtensions } from './client-metadata-extensions.ts';
import { introspectJwts } from './engine/introspection-chain.ts';
import { introspectionPolicy } from './introspection-policy.ts';
import { checkHashedClientSecrets, hashedClientAdapter } from './engine/client-secret.ts';
import { engineResourceServer } from './engine-resource-server.ts';
import { engineTtls } from './engine-ttls.ts';
import { groupTokenClaims, withGroups } from './group-claims.ts';
import { auditEngineEvents } from './audit-engine-events.ts';
import { logEngineEvents } from './log-events.ts';
import { serveOwnJwts } from './own-jwt-endpoints.ts';
import { pkceRequired } from './pkce-policy.ts';
import { pushedAuthorizationRequests } from './pushed-authorization-requests.ts';
import { registerRevocation, revocationDiscovery } from './register-revocation.ts';
import { resourceIndicators } from './resource-indicators.ts';

export interface ProviderDeps {
  readonly config: Config;
  readonly keys: KeySet;
  /** The static clients (src/provider/static-clients.ts). */
  readonly clients: NonNullable<Configuration['clients']>;
  readonly logger: Logger;
  /** Where audit events go (AUDIT_LOG); default the log itself. */
  readonly audit?: Audit | undefined;
  /** Storage; `undefined` means the engine's in-memory adapter (single instance only). */
  readonly adapter?: AdapterConstructor | AdapterFactory | undefined;
  readonly findAccount?: FindAccount | undefined;
  /** Tessera's pages for errors and logout (src/interactions). */
  readonly pages?: EnginePages | undefined;
  /** What ends access tokens (src/revocation); without it JWT access tokens cannot be revoked. */
  readonly revocations?: Revocations | undefined;
  /** Spans of Tessera's own steps in the engine (token exchange); default none. */
  readonly tracing?: Tracing | undefined;
  /** Counts tokens, errors and exchanges (src/observability); absent when metrics are off. */
  readonly metrics?: Metrics | undefined;
  /** Changes of stored clients: with them, clients are remembered between changes (CLIENT_CACHE_TTL). */
  readonly clientChanges?: ClientChanges | undefined;
}

type Logout = NonNullable<NonNullable<Configuration['features']>['rpInitiatedLogout']>;

/** Pages the engine renders through Tessera's templates. */
export interface EnginePages {
  readonly renderError: NonNullable<Configuration['renderError']>;
  readonly logoutSource: NonNullable<Logout['logoutSource']>;
  readonly postLogoutSuccessSource: NonNullable<Logout['postLogoutSuccessSource']>;
}

/** Assembles the oidc-provider instance: the only code that knows the engine's configuration surface. */
export function createProvider({
  config,
  keys,
  clients,
  logger,
  audit = createAudit(logger),
  adapter,
  findAccount,
  pages,
  revocations,
  tracing,
  metrics,
  clientChanges,
}: ProviderDeps): Provider {
  const defaultAlg = defaultResourceServer(config).signingAlg;
  const servers = [...config.resourceServers, adminResourceServer(config)];
  const configuration: Configuration = {
    ...(adapter ? { adapter: hashedClientAdapter(adapter) } : {}),
    // Every engine built gets copies of its own, as when each build made them.
    clients: clients.map((client) => ({ ...client })),
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups', ...new Set(servers.flatMap((rs) => rs.scopes))],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    // The ID token carries the claims of the granted scopes, so an app whose access token is
    // for its resource servers (not for userinfo) still learns who signed in.
    conformIdTokenClaims: false,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    ...(pages ? { renderError: pages.renderError } : {}),
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: defaultAlg,
    },
    jwks: { keys: engineSigningKeys(keys) },
    cookies: { keys: [...config.cookieKeys] },
    features: {
      devInteractions: { enabled: false },
      externalSigningSupport: EXTERNAL_SIGNING,
      clientCredentials: { enabled: true },
      dPoP: dpopFeature(config),
      introspection: { enabled: true, allowedPolicy: introspectionPolicy(config.resourceServers) },
      pushedAuthorizationRequests: pushedAuthorizationRequests(config),
      revocation: { enabled: true },
      resourceIndicators: resourceIndicators(servers, keys, [ADMIN_INDICATOR]),
      rpInitiatedLogout: {
        enabled: true,
        ...(pages ? { logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource } : {}),
      },
    },
    pkce: { required: pkceRequired },
    responseTypes: ['code'],
    ttl: engineTtls(config),
    extraClientMetadata: clientMetadataExtensions(),
    extraTokenClaims: withGroups(
      extraTokenClaims({ issuer: config.issuer, servers: config.resourceServers, sign: createJwtSigner(keys) }),
      groupTokenClaims({ servers: config.resourceServers, findAccount }),
    ),
    ...(findAccount ? { findAccount } : {}),
    ...(revocations ? { discovery: revocationDiscovery(config.issuer) } : {}),
  };
  introspectJwts();
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  serveOwnJwts(provider, { keys, adapter, algorithms: [...new Set(config.resourceServers.map((rs) => rs.signingAlg))], revocations });
  checkHashedClientSecrets(provider);
  if (clientChanges) cacheClients(provider, clientChanges, config.clientCacheTTL);
  const jwtServers = new Map(config.resourceServers.map((rs) => [rs.indicator, engineResourceServer(rs, keys, 'jwt')] as const));
  registerTokenExchange(provider, { config, keys, jwtServers, audit, revocations, tracing, metrics: metrics?.exchanges });
  logEngineEvents(provider, logger);
  auditEngineEvents(provider, audit);
  metrics?.tokens.observe(provider);
  if (revocations) registerRevocation(provider, { keys, revocations, audit });
  return provider;
}
