import { ADMIN_AUDIENCE, ADMIN_INDICATOR } from '../provider/admin-audience.ts';
import { SCHEMAS } from './openapi-schemas.ts';

type Json = Record<string, unknown>;

const problem = (description: string): Json => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const json = (description: string, schema: string, headers: Json = {}): Json => ({
  description, headers, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});
const ETAG = { ETag: { description: 'The revision of the resource; send it as If-Match to change it.', schema: { type: 'string' } } };
const CLIENT_ID = { name: 'client_id', in: 'path', required: true, schema: { type: 'string' } };

/** The answers every protected operation may give besides its own. */
function guarded(scope: string, responses: Json): Json {
  return {
    security: [{ admin: [scope] }],
    responses: {
      ...responses,
      401: problem('No bearer token, or one that is invalid, expired or not for tessera-admin.'),
      403: problem(`The token lacks the scope ${scope}.`),
    },
  };
}

const body = (schema: string): Json => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });

/** The OpenAPI 3.1 document of the admin API, served at `<prefix>/openapi.json`. */
export function openApiDocument({ issuer, prefix }: { issuer: string; prefix: string }): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera admin API',
      version: '1',
      description: `Administers a running Tessera. Authenticated with Tessera's own access tokens for the audience ${ADMIN_AUDIENCE} `
        + `(client_credentials with resource=${ADMIN_INDICATOR}); one scope per area. Updates need If-Match (428 without, 412 on another revision).`,
    },
    servers: [{ url: `${issuer}${prefix}` }],
    components: {
      securitySchemes: {
        admin: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: `${issuer}/token`, scopes: {
            'admin:clients': 'Manage stored clients', 'admin:users': 'Manage users', 'admin:sessions': 'See and end sessions and grants',
            'admin:keys': 'See and rotate signing keys' } } },
        },
      },
      schemas: SCHEMAS,
    },
    paths: {
      '/openapi.json': {
        get: { operationId: 'openApiDocument', summary: 'This document (no token needed)', security: [],
          responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/clients': {
        get: {
          operationId: 'listClients', summary: 'List stored clients, sorted by client_id',
          parameters: [
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          ...guarded('admin:clients', { 200: json('A page of clients.', 'ClientList'), 400: problem('A bad cursor or limit.') }),
        },
        post: {
          operationId: 'createClient', summary: 'Create a client; a confidential one gets a secret, shown once',
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
        get: { operationId: 'getClient', ...guarded('admin:clients', { 200: json('The client.', 'Client', ETAG), 404: problem('No such stored client.') }) },
        put: {
          operationId: 'updateClient', summary: 'Replace the metadata of a client (its client_id and secret stay)',
          parameters: [{ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: body('ClientInput'),
          ...guarded('admin:clients', {
            200: json('The updated client.', 'Client', ETAG), 400: problem('Invalid metadata.'), 404: problem('No such stored client.'),
            412: problem('The client changed since it was read.'), 428: problem('If-Match is missing.'),
          }),
        },
        delete: { operationId: 'deleteClient', ...guarded('admin:clients', { 204: { description: 'Deleted.' }, 404: problem('No such stored client.') }) },
      },
      '/clients/{client_id}/secret': {
        parameters: [CLIENT_ID],
        post: {
          operationId: 'rotateClientSecret', summary: 'A new secret, shown once; the old one works for CLIENT_SECRET_ROTATION_GRACE seconds',
          ...guarded('admin:clients', {
            200: json('The new secret.', 'SecretRotated', ETAG), 400: problem('A public client has no secret.'), 404: problem('No such stored client.'),
          }),
        },
      },
    },
  };
}
