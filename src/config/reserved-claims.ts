/** Claims an embedded token may not be stored under: they mean something else in an access token. */
export const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id', 'act', 'may_act', 'cnf',
  'auth_time', 'acr', 'amr', 'authorization_details'];
