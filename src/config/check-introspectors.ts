import type { ClientMetadata } from './client-schema.ts';

/** The part of a resource server the check needs. */
interface Introspected {
  readonly audience: string;
  readonly introspectors: readonly string[];
}

/** Where a resource server's introspectors are set: ACCESS_TOKEN_INTROSPECTORS for the default audience, else its CONFIG_FILE entry. */
function settingOf(index: number): string {
  return index === 0 ? 'ACCESS_TOKEN_INTROSPECTORS' : `resourceServers (CONFIG_FILE)[${index - 1}].introspectors`;
}

/**
 * Problems with the clients named as introspectors of a resource server: each at most once, and
 * none that is a static public client (`token_endpoint_auth_method: none`), since introspection
 * answers only to a client that proves who it is. Clients added at runtime (CLI) cannot be known
 * at start, so a name that matches no static client is accepted.
 */
export function checkIntrospectors(clients: readonly ClientMetadata[], servers: readonly Introspected[]): string[] {
  const problems: string[] = [];
  const publicClients = new Set(clients.filter((c) => c.token_endpoint_auth_method === 'none').map((c) => c.client_id));
  servers.forEach((rs, i) => {
    const seen = new Set<string>();
    for (const id of rs.introspectors) {
      if (seen.has(id)) problems.push(`${settingOf(i)}: ${id} is named twice`);
      seen.add(id);
      if (publicClients.has(id)) {
        problems.push(`${settingOf(i)}: ${id} is a public client (token_endpoint_auth_method none) and cannot introspect tokens for ${rs.audience}`);
      }
    }
  });
  return problems;
}
