import * as client from 'openid-client';

import { addUser, authorize, browse, CookieJar } from '../support/login-flow.ts';
import { startTessera, tempDir } from '../support/tessera.ts';
import type { StartOptions } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BASIC = `Basic ${Buffer.from(`webapp:${SECRET}`).toString('base64')}`;
const CLIENTS = { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }] };

/** Options for instances that share one Redis prefix, one certs directory and one set of cookie keys. */
function fleet(prefix: string): StartOptions {
  return {
    configFile: CLIENTS,
    env: { REDIS_KEY_PREFIX: prefix, CERTS_DIR: tempDir('tessera-shared-certs-'), COOKIE_KEYS: 'shared-cookie-key-0123456789abcdefghijkl' },
  };
}

async function token(url: string, params: Record<string, string>) {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

test('two instances on one Redis: a code issued through one is redeemed at the other; a session begun at one is recognised at the other', async () => {
  const options = fleet(`fleet-${process.pid}:`);
  const one = await startTessera(options);
  // Same issuer for both, as behind a load balancer: the second instance serves the first's issuer.
  const two = await startTessera({ ...options, env: { ...options.env, ISSUER: one.url } });
  try {
    addUser(one.redisEnv!, 'alice', 'correct horse battery staple');
    const config = await client.discovery(new URL(one.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
    const flow = await authorize({
      issuer: one.url,
      config,
      redirectUri: REDIRECT,
      scope: 'openid',
      username: 'alice',
      password: 'correct horse battery staple',
    });
    const redeemed = await token(two.url, {
      grant_type: 'authorization_code',
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: flow.codeVerifier,
    });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.id_token).toEqual(expect.any(String));

    // The session cookie from instance one signs the user in at instance two without a password.
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: 'q'.repeat(43),
      code_challenge_method: 'S256',
    });
    const atTwo = new URL(url.pathname + url.search, two.url).href;
    const start = await browse(flow.jar, atTwo);
    const callback = new URL(start.headers.get('location')!);
    expect(callback.href.startsWith(REDIRECT)).toBe(true);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    // Without the session cookie the same request goes to the login page.
    const stranger = await browse(new CookieJar(), atTwo);
    expect(new URL(stranger.headers.get('location')!, two.url).pathname).toMatch(/^\/interaction\//);
  } finally {
    await Promise.all([one.stop(), two.stop()]);
  }
});

test('a refresh token obtained before a restart works after it', async () => {
  const options = fleet(`restart-${process.pid}:`);
  const before = await startTessera(options);
  addUser(before.redisEnv!, 'bob', 'correct horse battery staple');
  const config = await client.discovery(new URL(before.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({
    issuer: before.url,
    config,
    redirectUri: REDIRECT,
    scope: 'openid offline_access',
    username: 'bob',
    password: 'correct horse battery staple',
    extra: { prompt: 'consent' },
  });
  const tokens = await token(before.url, {
    grant_type: 'authorization_code',
    code: flow.callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: flow.codeVerifier,
  });
  expect(await before.stop()).toBe(0);
  const after = await startTessera({ ...options, port: before.port });
  try {
    const refreshed = await token(after.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  } finally {
    await after.stop();
  }
});
