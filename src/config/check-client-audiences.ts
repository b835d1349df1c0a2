import type { ClientFacts } from './client-facts.ts';

/** The part of a resource server the check needs. */
interface Audience {
  readonly audience: string;
  readonly scopes: readonly string[];
}

/**
 * Problems with the audiences that static clients name in `token_exchange.targets` and `embed`:
 * each must be the audience of a configured resource server, and its scopes must be scopes that
 * resource server's tokens may carry. `label` names a client in the messages (default: its
 * place in CONFIG_FILE).
 */
export function checkClientAudiences(
  clients: readonly ClientFacts[],
  servers: readonly Audience[],
  label: (index: number) => string = (i) => `clients (CONFIG_FILE)[${i}]`,
): string[] {
  const problems: string[] = [];
  const byAudience = new Map(servers.map((rs) => [rs.audience, rs] as const));
  const known = [...byAudience.keys()].join(', ');
  for (const client of clients) {
    for (const { path, audience, scope } of client.references) {
      const where = `${label(client.index)}.${path}`;
      const rs = byAudience.get(audience);
      if (!rs) {
        problems.push(`${where}.audience: ${audience} is not the audience of a resource server (known: ${known})`);
        continue;
      }
      const foreign = scope.filter((s) => !rs.scopes.includes(s));
      if (foreign.length) problems.push(`${where}.scope: ${foreign.join(', ')} not among the scopes of ${audience} (${rs.scopes.join(', ')})`);
    }
  }
  return problems;
}
