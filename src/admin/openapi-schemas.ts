/** The schemas (JSON Schema 2020-12, as OpenAPI 3.1 takes them) of the admin API's bodies. */
export const SCHEMAS = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status', 'detail'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', const: 'about:blank' },
      title: { type: 'string', description: 'The HTTP status phrase.' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      errors: { type: 'array', items: { type: 'string' }, description: 'Every problem of the body sent, each naming its field.' },
    },
  },
  Client: {
    type: 'object',
    description: 'Client metadata (RFC 7591 names) plus Tessera\'s `token_exchange` and `embed`. Never a secret or its hash.',
    required: ['client_id'],
    not: { anyOf: [{ required: ['client_secret'] }, { required: ['client_secret_hash'] }, { required: ['client_secret_grace'] }] },
    properties: {
      client_id: { type: 'string', minLength: 1 },
      client_name: { type: 'string' },
      grant_types: { type: 'array', items: { type: 'string' } },
      redirect_uris: { type: 'array', items: { type: 'string' } },
      post_logout_redirect_uris: { type: 'array', items: { type: 'string' } },
      response_types: { type: 'array', items: { type: 'string' } },
      token_endpoint_auth_method: { enum: ['client_secret_basic', 'client_secret_post', 'none'] },
      scope: { type: 'string' },
      token_exchange: { type: 'object' },
      embed: { type: 'array', items: { type: 'object' } },
    },
  },
  ClientInput: {
    type: 'object',
    description: 'A client to create: its metadata. A confidential client (any method but `none`) gets a generated secret.',
    required: ['client_id'],
    properties: { client_id: { type: 'string', minLength: 1 } },
  },
  ClientList: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/Client' } },
      next_cursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page.' },
    },
  },
  ClientCreated: {
    type: 'object',
    required: ['client'],
    additionalProperties: false,
    properties: {
      client: { $ref: '#/components/schemas/Client' },
      client_secret: { type: 'string', description: 'Shown once: only its hash is stored.' },
    },
  },
  SecretRotated: {
    type: 'object',
    required: ['client_secret', 'previous_secret_valid_until'],
    additionalProperties: false,
    properties: {
      client_secret: { type: 'string', description: 'The new secret, shown once.' },
      previous_secret_valid_until: { type: ['string', 'null'], format: 'date-time',
        description: 'Until when the previous secret still works (CLIENT_SECRET_ROTATION_GRACE); null when it stopped at once.' },
    },
  },
  User: {
    type: 'object',
    required: ['id', 'username', 'email_verified', 'disabled', 'created_at', 'updated_at'],
    additionalProperties: false,
    properties: {
      id: { type: 'string' }, username: { type: 'string' }, email: { type: 'string' }, email_verified: { type: 'boolean' },
      name: { type: 'string' }, given_name: { type: 'string' }, family_name: { type: 'string' },
      groups: { type: 'array', items: { type: 'string' }, minItems: 1 }, disabled: { type: 'boolean' },
      created_at: { type: 'integer', description: 'Seconds since the epoch.' }, updated_at: { type: 'integer' },
    },
  },
  UserList: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/User' } }, next_cursor: { type: 'string' } },
  },
  UserInput: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      username: { type: 'string' }, password: { type: 'string' }, email: { type: 'string' }, email_verified: { type: 'boolean' },
      name: { type: 'string' }, given_name: { type: 'string' }, family_name: { type: 'string' }, groups: { type: 'array', items: { type: 'string' } },
    },
  },
  ProfileChanges: {
    type: 'object',
    properties: {
      email: { type: ['string', 'null'] }, email_verified: { type: 'boolean' }, name: { type: ['string', 'null'] },
      given_name: { type: ['string', 'null'] }, family_name: { type: ['string', 'null'] }, groups: { type: 'array', items: { type: 'string' } },
    },
  },
  Password: { type: 'object', required: ['password'], properties: { password: { type: 'string' } } },
} as const;
