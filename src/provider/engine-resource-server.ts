import type { ResourceServer as EngineResourceServer } from 'oidc-provider';

import type { ResourceServer } from '../config/load-config.ts';
import { signingKeyFor } from '../keys/signing-rule.ts';
import type { KeySet } from '../keys/load-keys.ts';

/**
 * A resource server as the engine takes it: its audience, scopes, lifetime and token format;
 * JWTs (RFC 9068) are signed with its algorithm by the key the signing rule names (its `kid` is
 * passed to the engine; src/keys/signing-rule.ts).
 * `format` overrides the configured token format.
 */
export function engineResourceServer(rs: ResourceServer, keys: KeySet, format = rs.accessTokenFormat): EngineResourceServer {
  const key = signingKeyFor(keys, rs.signingAlg);
  return {
    scope: rs.scopes.join(' '),
    audience: rs.audience,
    accessTokenTTL: rs.accessTokenTTL,
    accessTokenFormat: format,
    ...(format === 'jwt' ? { jwt: { sign: { alg: rs.signingAlg, ...(key ? { kid: key.kid } : {}) } } } : {}),
  };
}
