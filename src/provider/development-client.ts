import type { ClientMetadata } from '../config/client-schema.ts';

/**
 * The service client that a development Tessera offers when no client is configured, so the
 * README's first curl works. Never present in production.
 */
export const DEVELOPMENT_CLIENT: Readonly<ClientMetadata> = Object.freeze<ClientMetadata>({
  client_id: 'dev-service',
  client_secret: 'dev-service-secret',
  client_name: 'Development service client',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'api:read api:write',
});
