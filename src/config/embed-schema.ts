import { z } from 'zod';

import { claimName } from './claim-name.ts';
import { lifetime, list } from './value-kinds.ts';

/** One narrower token embedded in the client's access tokens when they carry `scope`. */
export const embedSchema = z
  .object({
    /** The claim of the access token that holds the embedded JWT. */
    claim: claimName,
    /** `aud` of the embedded token: a configured resource server audience. */
    audience: z.string().min(1, 'must name a resource server audience'),
    /** Its scope: the part of the access token's scope within this list; nothing is embedded when that is empty. */
    scope: list.pipe(z.array(z.string()).min(1, 'must name at least one scope')),
    /** Its lifetime in seconds, at most that of the access token. */
    ttl: lifetime,
  })
  .strict();

export type EmbedSetting = z.infer<typeof embedSchema>;
