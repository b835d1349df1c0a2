/** Clients of the Tessera that the resource-server tests start, and the user that signs in. */
export const SERVICE_SECRET = 'orders-service-secret-0123456789abcdef';
export const WEB_SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
export const REDIRECT = 'http://127.0.0.1:9/cb';
export const PASSWORD = 'correct horse battery staple';

/** A client_credentials client; `extra` adds metadata. */
export function serviceClient(client_id: string, client_secret: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id, client_secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], ...extra };
}

/** The browser app `webapp` (authorization code); `extra` adds metadata. */
export function webappClient(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: 'webapp', client_secret: WEB_SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], ...extra };
}
