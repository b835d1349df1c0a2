import { errors } from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { z } from 'zod';

import { CLIENT_SECRET_HASH_PATTERN, pkceRequiredSchema } from '../config/client-schema.ts';
import { embedSchema } from '../config/embed-schema.ts';
import { tokenExchangePolicySchema } from '../config/token-exchange-policy-schema.ts';

type ExtraClientMetadata = NonNullable<Configuration['extraClientMetadata']>;

const clientSecretHashSchema = z.string().regex(CLIENT_SECRET_HASH_PATTERN, 'must be sha256$<salt>$<digest>');

const SCHEMAS: Record<string, z.ZodType> = {
  token_exchange: tokenExchangePolicySchema,
  embed: z.array(embedSchema),
  pkce_required: pkceRequiredSchema,
  client_secret_hash: clientSecretHashSchema,
  client_secret_grace: z.object({ hash: clientSecretHashSchema, expires_at: z.number().int() }).strict(),
};

/**
 * Tessera's client metadata beyond the engine's: `token_exchange` (the client's token-exchange
 * policy), `embed` (narrower tokens embedded in its access tokens), `pkce_required` (a
 * confidential client's opt-out of PKCE, see pkce-policy.ts) and the hashed secret
 * (`client_secret_hash`, `client_secret_grace`: the previous hash after a rotation). Checked with
 * the same schema as CONFIG_FILE, for static and stored clients alike, and kept with defaults applied.
 */
export function clientMetadataExtensions(): ExtraClientMetadata {
  return {
    properties: Object.keys(SCHEMAS),
    validator(_ctx, key, value, metadata) {
      if (value === undefined) return;
      const parsed = SCHEMAS[key]!.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new errors.InvalidClientMetadata(`${[key, ...issue.path].join('.')}: ${issue.message}`);
      }
      (metadata as Record<string, unknown>)[key] = parsed.data;
    },
  };
}
