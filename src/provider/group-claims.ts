import type { AccessToken, ClientCredentials, Configuration, FindAccount, KoaContextWithOIDC } from 'oidc-provider';

import type { ResourceServer } from '../config/load-config.ts';

/**
 * The user's groups for an access token whose resource server asks for them (`groupsClaim`),
 * narrowed to the groups it knows (`groups`): for a sign-in and for token exchange alike, since
 * an exchanged token is an access token for its target audience. Client tokens carry none.
 */
export function groupTokenClaims({ servers, findAccount }: { servers: readonly ResourceServer[]; findAccount?: FindAccount | undefined }) {
  const byAudience = new Map(servers.filter((rs) => rs.groupsClaim).map((rs) => [rs.audience, rs] as const));
  return async (ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials): Promise<Record<string, string[]> | undefined> => {
    const rs = byAudience.get(String(token.resourceServer?.audience ?? ''));
    if (!rs || token.kind !== 'AccessToken' || !findAccount) return undefined;
    const account = await findAccount(ctx, token.accountId);
    const claims: Record<string, unknown> = account ? await account.claims('userinfo', 'groups', {}, []) : {};
    const groups = Array.isArray(claims.groups) ? claims.groups.filter((g: unknown): g is string => typeof g === 'string') : [];
    return { [rs.groupsClaim!]: rs.groups ? groups.filter((g) => rs.groups!.includes(g)) : groups };
  };
}

type ExtraTokenClaims = NonNullable<Configuration['extraTokenClaims']>;

/** The claims of `base` and the groups a resource server takes, in one access token. */
export function withGroups(base: ExtraTokenClaims, groups: ReturnType<typeof groupTokenClaims>): ExtraTokenClaims {
  return async (ctx, token) => {
    const [claims, grouped] = await Promise.all([base(ctx, token), groups(ctx, token)]);
    return claims || grouped ? { ...claims, ...grouped } : undefined;
  };
}
