import { body, ETAG, guarded, IF_MATCH, IF_MATCH_OPTIONAL, json, PAGE, problem } from './openapi-parts.ts';

const CLIENT_ID = { name: 'client_id', in: 'path', required: true, schema: { type: 'string' } };
const NOT_FOUND = problem('No such stored client.');

/** The clients area of the OpenAPI document. */
export const CLIENT_PATHS = {
  '/clients': {
    get: {
      operationId: 'listClients',
      summary: 'List stored clients, sorted by client_id',
      parameters: PAGE,
      ...guarded('admin:clients', { 200: json('A page of clients.', 'ClientList'), 400: problem('A bad cursor or limit.') }),
    },
    post: {
      operationId: 'createClient',
      summary: 'Create a client; a confidential one gets a secret, shown once',
      requestBody: body('ClientInput'),
      ...guarded('admin:clients', {
        201: json('Created.', 'ClientCreated', { ...ETAG, Location: { schema: { type: 'string' } } }),
        400: problem('Invalid metadata; `errors` names every problem.'),
        409: problem('The client_id is taken (by a stored or a CONFIG_FILE client).'),
        415: problem('The body is not JSON.'),
      }),
    },
  },
  '/clients/{client_id}': {
    parameters: [CLIENT_ID],
    get: { operationId: 'getClient', ...guarded('admin:clients', { 200: json('The client.', 'Client', ETAG), 404: NOT_FOUND }) },
    put: {
      operationId: 'updateClient',
      summary: 'Replace the metadata of a client (its client_id and secret stay)',
      parameters: [IF_MATCH],
      requestBody: body('ClientInput'),
      ...guarded('admin:clients', {
        200: json('The updated client.', 'Client', ETAG),
        400: problem('Invalid metadata.'),
        404: NOT_FOUND,
        412: problem('The client changed since it was read.'),
        428: problem('If-Match is missing.'),
      }),
    },
    delete: {
      operationId: 'deleteClient',
      parameters: [IF_MATCH_OPTIONAL],
      ...guarded('admin:clients', { 204: { description: 'Deleted.' }, 404: NOT_FOUND, 412: problem('The client changed since it was read.') }),
    },
  },
  '/clients/{client_id}/secret': {
    parameters: [CLIENT_ID],
    post: {
      operationId: 'rotateClientSecret',
      summary: 'A new secret, shown once; the old one works for CLIENT_SECRET_ROTATION_GRACE seconds',
      ...guarded('admin:clients', { 200: json('The new secret.', 'SecretRotated', ETAG), 400: problem('A public client has no secret.'), 404: NOT_FOUND }),
    },
  },
};
