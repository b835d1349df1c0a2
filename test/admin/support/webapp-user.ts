import * as client from 'openid-client';

import { addUser } from '../../support/login-flow.ts';
import { startAdminFixture } from './admin-fixture.ts';
import type { AdminFixture } from './admin-fixture.ts';

export const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
export const REDIRECT = 'http://127.0.0.1:9/cb';
export const PASSWORD = 'correct horse battery staple';
/** The answer of the token endpoint to a revoked refresh token. */
export const REVOKED = { status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } };

/** An admin fixture with a confidential code-flow client `webapp` and a user alice who signs in to it. */
export interface WebappUser {
  readonly admin: AdminFixture;
  readonly config: client.Configuration;
  /** An admin token with admin:sessions and admin:users, and one of a client with admin:users only. */
  readonly token: string;
  readonly usersOnly: string;
  readonly aliceId: string;
  /** A refresh_token grant at the token endpoint: its status and body. */
  refresh(refreshToken: string): Promise<{ status: number; body: Record<string, string> }>;
}

/** Starts Tessera for the sessions area's tests: the webapp client, alice, and the admin tokens. */
export async function startWebappUser(): Promise<WebappUser> {
  const admin = await startAdminFixture({
    env: { PASSWORD_SCRYPT_N: '1024' },
    configFile: { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }] },
  });
  addUser(admin.tessera.redisEnv!, 'alice', PASSWORD);
  const config = await client.discovery(new URL(admin.tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const token = await admin.token('admin:sessions admin:users');
  const usersOnly = await admin.token('admin:users', 'users-only');
  const aliceId = ((await admin.call('GET', '/users?q=alice', { token })).body as { items: { id: string }[] }).items[0]!.id;
  return {
    admin,
    config,
    token,
    usersOnly,
    aliceId,
    async refresh(refreshToken) {
      const response = await fetch(`${admin.tessera.url}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    },
  };
}
