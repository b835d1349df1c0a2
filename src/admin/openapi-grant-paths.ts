import { guarded, json, PAGE, problem } from './openapi-parts.ts';

const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const NOT_FOUND = problem('No such account (or grant of it).');

/** The sessions area of the OpenAPI document. */
export const GRANT_PATHS = {
  '/users/{id}/grants': {
    parameters: [ID],
    get: {
      operationId: 'listUserGrants',
      summary: "The user's live grants: client, scopes, when",
      parameters: PAGE,
      ...guarded('admin:sessions', { 200: json('A page of grants, by grant_id.', 'GrantList'), 400: problem('A bad cursor or limit.'), 404: NOT_FOUND }),
    },
    delete: {
      operationId: 'revokeUserGrants',
      summary: 'End every grant of the user: their refresh tokens stop at once',
      ...guarded('admin:sessions', { 200: json('How many grants were ended.', 'Revoked'), 404: NOT_FOUND }),
    },
  },
  '/users/{id}/grants/{grant_id}': {
    parameters: [ID, { name: 'grant_id', in: 'path', required: true, schema: { type: 'string' } }],
    delete: {
      operationId: 'revokeUserGrant',
      summary: 'End one grant: its refresh tokens and codes stop at once',
      ...guarded('admin:sessions', { 204: { description: 'Ended.' }, 404: NOT_FOUND }),
    },
  },
};

/** The schemas of the sessions area. */
export const GRANT_SCHEMAS = {
  Grant: {
    type: 'object',
    required: ['grant_id', 'client_id', 'scope', 'resources', 'issued_at', 'expires_at'],
    additionalProperties: false,
    properties: {
      grant_id: { type: 'string' },
      client_id: { type: 'string' },
      scope: { type: 'string', description: 'The OpenID scope granted.' },
      resources: { type: 'object', additionalProperties: { type: 'string' }, description: 'Scope granted per resource indicator.' },
      issued_at: { type: 'integer' },
      expires_at: { type: 'integer' },
    },
  },
  GrantList: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Grant' } }, next_cursor: { type: 'string' } },
  },
  Revoked: { type: 'object', required: ['revoked'], additionalProperties: false, properties: { revoked: { type: 'integer' } } },
};
