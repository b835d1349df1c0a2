import type { Provider } from 'oidc-provider';

import type { KeySet } from '../keys/load-keys.ts';
import type { Audit } from '../observability/audit-log.ts';
import { FEED_PATH } from '../revocation/feed-route.ts';
import type { Revocations } from '../revocation/revocations.ts';
import { jwtRevocation } from './jwt-revocation.ts';

/** The discovery metadata that points resource servers at the feed. */
export function revocationDiscovery(issuer: string): { revocation_feed_endpoint: string } {
  return { revocation_feed_endpoint: `${issuer.replace(/\/+$/, '')}${FEED_PATH}` };
}

/** Hooks revocation into the engine: RFC 7009 of JWT access tokens at its revocation endpoint. */
export function registerRevocation(provider: Provider, { keys, revocations, audit }: { keys: KeySet; revocations: Revocations; audit: Audit }): void {
  provider.use(jwtRevocation({ provider, keys, revocations, audit }));
}
