import { ADMIN_AUDIENCE, ADMIN_INDICATOR } from '../provider/admin-audience.ts';
import { CLIENT_PATHS } from './openapi-client-paths.ts';
import { GRANT_PATHS, GRANT_SCHEMAS } from './openapi-grant-paths.ts';
import { KEY_PATHS, KEY_SCHEMAS } from './openapi-key-paths.ts';
import { SCHEMAS } from './openapi-schemas.ts';
import { SESSION_PATHS, SESSION_SCHEMAS } from './openapi-session-paths.ts';
import { USER_PATHS } from './openapi-user-paths.ts';

type Json = Record<string, unknown>;

/** The OpenAPI 3.1 document of the admin API, served at `<prefix>/openapi.json`. */
export function openApiDocument({ issuer, prefix }: { issuer: string; prefix: string }): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera admin API',
      version: '1',
      description:
        `Administers a running Tessera. Authenticated with Tessera's own access tokens for the audience ${ADMIN_AUDIENCE} ` +
        `(client_credentials with resource=${ADMIN_INDICATOR}); one scope per area. Updates need If-Match (428 without, 412 on another revision).`,
    },
    servers: [{ url: `${issuer}${prefix}` }],
    components: {
      securitySchemes: {
        admin: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer}/token`,
              scopes: {
                'admin:clients': 'Manage stored clients',
                'admin:users': 'Manage users',
                'admin:sessions': 'See and end sessions and grants',
                'admin:keys': 'See and rotate signing keys',
              },
            },
          },
        },
      },
      schemas: { ...SCHEMAS, ...KEY_SCHEMAS, ...GRANT_SCHEMAS, ...SESSION_SCHEMAS },
    },
    paths: {
      '/openapi.json': {
        get: {
          operationId: 'openApiDocument',
          summary: 'This document (no token needed)',
          security: [],
          responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      ...CLIENT_PATHS,
      ...USER_PATHS,
      ...KEY_PATHS,
      ...GRANT_PATHS,
      ...SESSION_PATHS,
    },
  };
}
