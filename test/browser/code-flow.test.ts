import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';

import { addUser } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { unlabelledControls, withBrowser } from './support/chromium.ts';
import { startRelyingParty } from './support/relying-party.ts';
import type { RelyingParty } from './support/relying-party.ts';

const SECRET = 'browser-app-secret-0123456789abcdefghij';
const PASSWORD = 'correct horse battery staple';
let rp: RelyingParty;
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  rp = await startRelyingParty('browser-app', SECRET);
  tessera = await startTessera({
    env: { LOGIN_THROTTLE_USER_FREE_FAILURES: '2' },
    configFile: {
      clients: [
        {
          client_id: 'browser-app',
          client_secret: SECRET,
          client_name: 'Browser App',
          redirect_uris: [rp.redirectUri],
          post_logout_redirect_uris: [rp.postLogoutRedirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
    },
  });
  for (const username of ['alice', 'bob', 'carol', 'mallory'])
    addUser(tessera.redisEnv!, username, PASSWORD, '--name', `${username[0]!.toUpperCase()}${username.slice(1)} Example`);
  config = await rp.connect(tessera.url);
}, 60_000);

afterAll(async () => {
  await tessera?.stop();
  await rp?.stop();
});

/** Fills in Tessera's login page, found by its labels. */
async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`browser-app:${SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('login → consent → code → tokens, in a real browser', () =>
  withBrowser('code-flow-login-consent', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=${encodeURIComponent('openid profile api:read')}`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).textContent()).resolves.toBe('Sign in');
    expect(await page.getByText('to continue to').textContent()).toBe('to continue to Browser App');
    expect(await unlabelledControls(page)).toEqual([]);
    await signIn(page, 'alice', PASSWORD);

    await page.getByRole('heading', { name: 'Allow access' }).waitFor();
    expect(await page.getByRole('list', { name: 'Requested permissions' }).getByRole('listitem').allTextContents()).toEqual([
      'Sign you in with your account',
      'See your name and username',
      'Read your data',
    ]);
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/cb');
    expect(await page.locator('#no-script').isVisible()).toBe(false);
    const outcome = rp.outcomes.at(-1)!;
    if (!outcome.ok) throw new Error(`the app got ${outcome.error}`);
    expect(outcome.tokens.claims()).toMatchObject({ iss: tessera.url, aud: 'browser-app', name: 'Alice Example', preferred_username: 'alice' });
    expect(JSON.parse((await page.locator('#claims').textContent())!)).toEqual(outcome.tokens.claims());
    // The token response's scope is everything granted with the access token: the OpenID scopes it
    // opens at userinfo and the API scope it carries (its JWT `scope` claim names the API scope alone).
    expect(outcome.tokens).toMatchObject({ token_type: 'bearer', scope: 'openid profile api:read', access_token: expect.stringMatching(/^eyJ/) });
    expect(decodeJwt(outcome.tokens.access_token)).toMatchObject({ scope: 'api:read' });
  }));

test('refresh rotation: the refresh token of a browser sign-in is replaced on use and the old one refused', () =>
  withBrowser('code-flow-refresh', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=${encodeURIComponent('openid offline_access api:read')}&prompt=consent`);
    await signIn(page, 'bob', PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();
    const outcome = rp.outcomes.at(-1)!;
    if (!outcome.ok) throw new Error(`the app got ${outcome.error}`);
    const first = outcome.tokens.refresh_token!;
    expect(first).toEqual(expect.any(String));

    const rotated = await client.refreshTokenGrant(config, first);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(first);
    expect(await refresh(first)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
    // Presenting the used one again counted as theft: the grant, and so the newest token, is gone.
    expect(await refresh(rotated.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
  }));

test('logout: after RP-initiated logout the next authorization request shows the password field again', () =>
  withBrowser('code-flow-logout', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=openid`);
    await signIn(page, 'carol', PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();

    // Signed in at Tessera: another authorization request goes straight back to the app.
    await page.goto(`${rp.url}/login?scope=openid`);
    await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);

    await page.goto(`${rp.url}/logout`);
    await page.getByRole('heading', { name: 'Sign out' }).waitFor();
    expect(await page.getByText('Do you want to sign out').textContent()).toBe('Do you want to sign out of Browser App and of Tessera?');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out of the app' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/bye');

    await page.goto(`${rp.url}/login?scope=openid`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
  }));

test('deny on consent: the app receives access_denied', () =>
  withBrowser('code-flow-deny', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=${encodeURIComponent('openid email')}`);
    await signIn(page, 'alice', PASSWORD);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Sign-in failed at the app' }).waitFor();
    expect(await page.locator('#error').textContent()).toBe('access_denied');
    expect(await page.locator('#error-description').textContent()).toBe('End-User aborted interaction');
    expect(rp.outcomes.at(-1)).toEqual({ ok: false, error: 'access_denied', error_description: 'End-User aborted interaction' });
  }));

test('repeated wrong passwords: the page says to wait, and the right password is refused meanwhile', () =>
  withBrowser('code-flow-throttle', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=openid`);
    // LOGIN_THROTTLE_USER_FREE_FAILURES=2: two failures are free, the third sets a 2 s back-off.
    for (let i = 0; i < 3; i++) {
      await signIn(page, 'mallory', `wrong password ${i}`);
      expect(await page.getByRole('alert').textContent()).toBe('Wrong username or password.');
    }
    await signIn(page, 'mallory', PASSWORD);
    expect(await page.getByRole('alert').textContent()).toMatch(/^Too many attempts\. Try again in [12] seconds\.$/);
    expect(await page.getByLabel('Username').inputValue()).toBe('mallory');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
  }));
