import { randomUUID } from 'node:crypto';

import type { AccessToken, ClientCredentials, Configuration } from 'oidc-provider';

import type { ResourceServer } from '../config/load-config.ts';
import { TOKEN_EXCHANGE_GRANT } from '../config/grant-types.ts';
import type { EmbedSetting } from '../config/embed-schema.ts';
import type { JwtSigner } from '../keys/jwt-signer.ts';
import { grantRef } from '../revocation/grant-ref.ts';

type ExtraTokenClaims = NonNullable<Configuration['extraTokenClaims']>;

/**
 * The engine's `extraTokenClaims`: an exchanged token keeps the claims the exchange gave it
 * (`act`); any other access token gets, for each `embed` entry of its client whose scope it
 * shares, a narrower RFC 9068 JWT under that entry's claim: own `aud`, the shared scope, its own
 * short lifetime (never past the access token's), same `sub` and `client_id`, signed with the
 * key of that audience's algorithm. A token of a grant, and each token embedded in it, carries
 * `grant_ref` (src/revocation/grant-ref.ts), so ending the grant ends them all.
 */
export function extraTokenClaims({ issuer, servers, sign }: { issuer: string; servers: readonly ResourceServer[]; sign: JwtSigner }): ExtraTokenClaims {
  const algOf = new Map(servers.map((rs) => [rs.audience, rs.signingAlg] as const));
  return async (_ctx, token: AccessToken | ClientCredentials) => {
    if (token.kind === 'AccessToken' && token.gty === TOKEN_EXCHANGE_GRANT) return token.extra;
    const ties = token.kind === 'AccessToken' && token.grantId ? { grant_ref: grantRef(token.grantId) } : undefined;
    const embeds = (token.client as unknown as { embed?: readonly EmbedSetting[] } | undefined)?.embed;
    if (!embeds?.length) return ties;
    const granted = token.scopes;
    const iat = Math.floor(Date.now() / 1000);
    const claims: Record<string, string> = {};
    for (const embed of embeds) {
      const scope = embed.scope.filter((s) => granted.has(s));
      const alg = algOf.get(embed.audience);
      if (!scope.length || !alg) continue;
      claims[embed.claim] = sign(alg, {
        iss: issuer,
        aud: embed.audience,
        sub: token.kind === 'AccessToken' ? token.accountId : token.clientId,
        client_id: token.clientId,
        scope: scope.join(' '),
        jti: randomUUID(),
        iat,
        exp: iat + Math.min(embed.ttl, token.expiration),
        ...ties,
      });
    }
    return Object.keys(claims).length || ties ? { ...ties, ...claims } : undefined;
  };
}
