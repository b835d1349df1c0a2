/** Token type identifiers of RFC 8693 §3 that Tessera accepts and issues. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** Types a subject or actor token may have: Tessera's access tokens, JWT or opaque (`jwt`: JWT only). */
export const PRESENTED_TOKEN_TYPES: readonly string[] = [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE];

/** Types a client may request; either way the issued token is an RFC 9068 JWT access token. */
export const REQUESTABLE_TOKEN_TYPES: readonly string[] = [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE];
