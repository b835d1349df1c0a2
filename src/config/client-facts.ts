import { z } from 'zod';

import { embedSchema } from './embed-schema.ts';
import { exchangeTargetSchema } from './token-exchange-policy-schema.ts';

/** An audience a client names, with the scopes it names there. */
export interface AudienceReference {
  /** Where, below the client: `token_exchange.targets[0]`, `embed[1]`. */
  readonly path: string;
  readonly audience: string;
  readonly scope: readonly string[];
}

/**
 * What the checks across clients read of one static client (duplicate ids, unknown audiences,
 * weak secrets), taken from every part of it that is valid: a client with one bad field is
 * still checked for the rest, at its own index.
 */
export interface ClientFacts {
  readonly index: number;
  readonly client_id?: string | undefined;
  readonly client_secret?: string | undefined;
  readonly references: readonly AudienceReference[];
}

const embedReference = z.object({ audience: embedSchema.shape.audience, scope: embedSchema.shape.scope });

/** The facts of each client in CONFIG_FILE's `clients`, as given (before or despite validation). */
export function clientFacts(clients: unknown): ClientFacts[] {
  if (!Array.isArray(clients)) return [];
  return clients.flatMap((client: unknown, index) => {
    if (!isRecord(client)) return [];
    const exchange = isRecord(client.token_exchange) ? client.token_exchange.targets : undefined;
    return [
      {
        index,
        client_id: typeof client.client_id === 'string' ? client.client_id : undefined,
        client_secret: typeof client.client_secret === 'string' ? client.client_secret : undefined,
        references: [...references(exchange, 'token_exchange.targets', exchangeTargetSchema), ...references(client.embed, 'embed', embedReference)],
      },
    ];
  });
}

function references(list: unknown, path: string, schema: z.ZodType<{ audience: string; scope: string[] }>): AudienceReference[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, j) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [{ path: `${path}[${j}]`, ...parsed.data }] : [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
