import { z } from 'zod';

/** Claims an embedded token may not be stored under: they mean something else in an access token. */
const RESERVED_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'client_id',
  'act',
  'may_act',
  'cnf',
  'auth_time',
  'acr',
  'amr',
  'authorization_details',
];

/** A claim Tessera adds to access tokens (an embedded token, the groups): a claim name that means nothing else there. */
export const claimName = z
  .string()
  .regex(/^[A-Za-z_][\w-]*$/, 'must be a claim name (letters, digits, _ and -)')
  .refine((name) => !RESERVED_CLAIMS.includes(name), { message: `must not be one of ${RESERVED_CLAIMS.join(', ')}` });
