import type { Page } from 'playwright-core';

import { addUser } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { withBrowser } from './support/chromium.ts';
import { startPassportApp } from './support/passport-app.ts';
import type { PassportApp, PassportUser } from './support/passport-app.ts';

// passport-openidconnect sends no PKCE. A confidential client registered with
// `pkce_required: false` signs people in with it, in OpenID requests that carry a nonce
// (the library's `nonce` option).

const SECRET = 'passport-app-secret-0123456789abcdefghij';
const PASSWORD = 'correct horse battery staple';
let app: PassportApp;
let tessera: TesseraProcess;

beforeAll(async () => {
  app = await startPassportApp();
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'passport-app',
          client_secret: SECRET,
          client_name: 'Passport App',
          redirect_uris: [app.callbackUrl],
          grant_types: ['authorization_code'],
          pkce_required: false,
        },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD, '--name', 'Alice Example', '--email', 'alice@example.com');
  app.connect(tessera.url, 'passport-app', SECRET, { scope: ['profile', 'email'], nonce: 'true' });
}, 60_000);

afterAll(async () => {
  await tessera?.stop();
  await app?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('passport-openidconnect signs alice in without PKCE and gets her profile from userinfo', () =>
  withBrowser('passport-openidconnect', {}, async (page) => {
    const authorizationRequests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === tessera.url && url.pathname === '/auth') authorizationRequests.push(url);
    });
    await page.goto(`${app.url}/login`);
    await signIn(page);
    await page.getByRole('heading', { name: 'Allow access' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('heading', { name: /^(Signed in|Sign-in failed|Error)$/ }).waitFor();
    // On failure this names what passport-openidconnect refused.
    expect([await page.locator('h1').textContent(), (await page.locator('#error').count()) ? await page.locator('#error').textContent() : null]).toEqual([
      'Signed in',
      null,
    ]);
    const [request] = authorizationRequests;
    expect(request!.searchParams.get('code_challenge')).toBeNull();
    // passport-openidconnect's nonce is 20 base64 characters, so it may hold + and / (half the time it does).
    expect(request!.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9+/]{20}$/);
    expect(request!.searchParams.get('scope')).toBe('openid profile email');
    const user = JSON.parse((await page.locator('#user').textContent())!) as PassportUser;
    expect(user.userinfo).toEqual({
      sub: expect.stringMatching(/^[\w-]{16,}$/),
      name: 'Alice Example',
      preferred_username: 'alice',
      updated_at: expect.any(Number),
      email: 'alice@example.com',
      email_verified: false,
    });
    expect(user.idToken).toEqual({
      id: (user.userinfo as { sub: string }).sub,
      displayName: 'Alice Example',
      username: 'alice',
      emails: [{ value: 'alice@example.com' }],
    });
  }));
