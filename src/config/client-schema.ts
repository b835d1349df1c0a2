import { z } from 'zod';

import { embedSchema } from './embed-schema.ts';
import { GRANT_TYPES, TOKEN_EXCHANGE_GRANT } from './grant-types.ts';
import { tokenExchangePolicySchema } from './token-exchange-policy-schema.ts';
import { absoluteUrl } from './value-kinds.ts';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;

/**
 * The stored form of a client secret: `sha256$<salt>$<digest>`, both base64url, the digest
 * SHA-256 over salt and secret (src/provider/client-secret-hash.ts makes and checks it).
 */
export const CLIENT_SECRET_HASH_PATTERN = /^sha256\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/;

/**
 * `pkce_required: false` lets a confidential client leave out PKCE in an OpenID request with a
 * nonce (for libraries that send none, such as passport-openidconnect); default `true`.
 */
export const pkceRequiredSchema = z.boolean({ message: 'must be true or false' });

/** Why a client may not opt out of PKCE, if it tried: a public client always uses it. */
export function pkceOptOutProblem(client: { token_endpoint_auth_method?: unknown; pkce_required?: unknown }): string | undefined {
  return client.pkce_required === false && client.token_endpoint_auth_method === 'none'
    ? 'may be false only for a confidential client: a public client (token_endpoint_auth_method none) always uses PKCE'
    : undefined;
}

/** Client metadata as oidc-provider takes it; Tessera checks the fields whose mistakes are common. */
export const clientSchema = z
  .looseObject({
    client_id: z.string({ message: 'is required' }).min(1, 'is required'),
    client_secret: z.string().min(1, 'must not be empty').optional(),
    /**
     * The secret's hash instead of the secret (`sha256$<salt>$<digest>`, as
     * `tessera clients hash-secret` prints it); for client_secret_basic and client_secret_post.
     */
    client_secret_hash: z.string().regex(CLIENT_SECRET_HASH_PATTERN, 'must be sha256$<salt>$<digest> as `tessera clients hash-secret` prints it').optional(),
    client_name: z.string().optional(),
    grant_types: z.array(z.enum(GRANT_TYPES, { message: `must be one of ${GRANT_TYPES.join(', ')}` })).optional(),
    redirect_uris: z.array(absoluteUrl).optional(),
    post_logout_redirect_uris: z.array(absoluteUrl).optional(),
    token_endpoint_auth_method: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
    scope: z.string().optional(),
    token_exchange: tokenExchangePolicySchema.optional(),
    embed: z.array(embedSchema).optional(),
    pkce_required: pkceRequiredSchema.optional(),
    /** The client must push its authorization requests (RFC 9126); PAR_REQUIRED asks it of every client. */
    require_pushed_authorization_requests: z.boolean({ message: 'must be true or false' }).optional(),
    /** RFC 9449 §5.2: every token request of the client must carry a DPoP proof (the engine enforces it). */
    dpop_bound_access_tokens: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .superRefine((client, ctx) => {
    const pkce = pkceOptOutProblem(client);
    if (pkce) ctx.addIssue({ code: 'custom', path: ['pkce_required'], message: pkce });
    const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
    if (client.client_secret && client.client_secret_hash) {
      ctx.addIssue({ code: 'custom', path: ['client_secret_hash'], message: 'must not be given with client_secret (give one of them)' });
    } else if (client.client_secret_hash && !['client_secret_basic', 'client_secret_post'].includes(method)) {
      ctx.addIssue({ code: 'custom', path: ['client_secret_hash'], message: `works with client_secret_basic and client_secret_post only (not ${method})` });
    } else if (method.startsWith('client_secret') && !client.client_secret && !client.client_secret_hash) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: `is required for token_endpoint_auth_method ${method}` });
    }
    const grants = client.grant_types ?? ['authorization_code'];
    if (grants.includes('authorization_code') && !client.redirect_uris?.length) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'needs at least one URL for the authorization_code grant' });
    }
    if (client.token_exchange?.actors?.includes(client.client_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['token_exchange', 'actors'],
        message: `must not name the client itself (${client.client_id}): its own tokens are always accepted`,
      });
    }
    if (grants.includes(TOKEN_EXCHANGE_GRANT) !== (client.token_exchange !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: client.token_exchange ? ['grant_types'] : ['token_exchange'],
        message: client.token_exchange ? `must include ${TOKEN_EXCHANGE_GRANT} for token_exchange` : `is required for the ${TOKEN_EXCHANGE_GRANT} grant`,
      });
    }
    // Token exchange issues bearer tokens only, so it would hand such a client unbound tokens.
    if (client.dpop_bound_access_tokens === true && grants.includes(TOKEN_EXCHANGE_GRANT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dpop_bound_access_tokens'],
        message: `cannot be true with the ${TOKEN_EXCHANGE_GRANT} grant, which issues bearer tokens only`,
      });
    }
  });

export type ClientMetadata = z.infer<typeof clientSchema>;
