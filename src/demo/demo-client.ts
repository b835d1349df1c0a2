import { defaultResourceServer } from '../config/default-resource-server.ts';
import type { Config } from '../config/load-config.ts';
import type { ClientMetadata } from '../config/client-schema.ts';

/** The demo app's client id. */
export const DEMO_CLIENT_ID = 'tessera-demo';

/** The demo user's username. */
export const DEMO_USERNAME = 'demo';

/** Where the demo app receives the authorization response, on Tessera's own origin. */
export const DEMO_CALLBACK_PATH = '/demo/callback';

/**
 * Whether the demo runs: in development mode (`NODE_ENV` unset or `development`) while no
 * client is configured, like the `dev-service` client. Never in production or test mode.
 */
export function demoEnabled(config: Pick<Config, 'nodeEnv' | 'clients'>): boolean {
  return config.nodeEnv === 'development' && config.clients.length === 0;
}

/** What the demo app asks for: the user's profile and email, and the first scope of the default audience. */
export function demoScope(config: Pick<Config, 'resourceServers'>): string {
  const api = defaultResourceServer(config).scopes[0];
  return ['openid', 'profile', 'email', ...(api ? [api] : [])].join(' ');
}

/**
 * The demo app as a static client: a public browser client (no secret, so PKCE is its proof)
 * whose only redirect URI is Tessera's own `/demo/callback`.
 */
export function demoClient(issuer: string): ClientMetadata {
  return {
    client_id: DEMO_CLIENT_ID,
    client_name: 'Tessera demo app',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${issuer}${DEMO_CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${issuer}/`],
  };
}
