import { z } from 'zod';

import { claimName } from './claim-name.ts';
import { SIGNING_ALGS } from './signing-algorithms.ts';
import { absoluteUrl, lifetime, list, text } from './value-kinds.ts';

/** A resource server (API) that access tokens can be issued for. */
export const resourceServerSchema = z
  .object({
    /** RFC 8707 resource indicator a client sends as `resource`; an absolute URI. */
    indicator: absoluteUrl,
    /** `aud` of its tokens; defaults to the indicator. */
    audience: text().optional(),
    /** Scopes its tokens may carry. */
    scopes: list.default([]),
    /** Token lifetime in seconds; defaults to ACCESS_TOKEN_TTL. */
    accessTokenTTL: lifetime.optional(),
    /** `jwt` (RFC 9068) or `opaque`; defaults to ACCESS_TOKEN_FORMAT. */
    accessTokenFormat: z.enum(['jwt', 'opaque'], { message: 'must be jwt or opaque' }).optional(),
    /** JWS algorithm of its tokens; defaults to ACCESS_TOKEN_ALG. */
    signingAlg: z.enum(SIGNING_ALGS, { message: `must be one of ${SIGNING_ALGS.join(', ')}` }).optional(),
    /**
     * Clients (by `client_id`) that may introspect tokens for this audience besides the client
     * each token was issued to; default none.
     */
    introspectors: list.optional(),
    /** The claim of its access tokens that carries the user's groups; unset: no groups in its tokens. */
    groupsClaim: claimName.optional(),
    /** Only these groups go into its tokens (the groups it knows); unset: all of the user's groups. Needs groupsClaim. */
    groups: list.pipe(z.array(z.string().min(1)).min(1, 'must name at least one group')).optional(),
  })
  .strict()
  .superRefine((rs, ctx) => {
    if (rs.groups && !rs.groupsClaim) ctx.addIssue({ code: 'custom', path: ['groups'], message: 'needs groupsClaim (the claim the groups go into)' });
  });

export type ResourceServerSetting = z.infer<typeof resourceServerSchema>;
