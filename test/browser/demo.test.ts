import type { Page } from 'playwright-core';

import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { unlabelledControls, withBrowser } from './support/chromium.ts';

let tessera: TesseraProcess;
let password: string;

beforeAll(async () => {
  // `npm start` as a newcomer runs it: development mode, nothing configured, no Redis.
  tessera = await startTessera({ redis: false });
  const line = tessera.logs().find((l) => l.event === 'demo.user');
  password = String(line?.demo_password);
}, 30_000);

afterAll(async () => {
  await tessera?.stop();
});

const json = async (page: Page, selector: string): Promise<Record<string, unknown>> =>
  JSON.parse((await page.locator(selector).textContent())!) as Record<string, unknown>;

/** The whole demo: the root page, Tessera's login and consent, and what the demo app shows. */
async function runDemo(page: Page): Promise<void> {
  await page.goto(`${tessera.url}/`);
  await page.getByRole('button', { name: 'Sign in with the demo app' }).click();

  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.getByText('to continue to').textContent()).toBe('to continue to Tessera demo app');
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByLabel('Username').fill('demo');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByRole('heading', { name: 'Allow access' }).waitFor();
  expect(await page.getByRole('list', { name: 'Requested permissions' }).getByRole('listitem').allTextContents()).toEqual([
    'Sign you in with your account',
    'See your name and username',
    'See your email address',
    'Read your data',
  ]);
  await page.getByRole('button', { name: 'Allow' }).click();

  await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor();
  expect(page.url()).toMatch(new RegExp(`^${tessera.url}/demo/callback\\?code=`));
  const claims = await json(page, '#id-token-claims');
  expect(claims).toEqual({
    sub: expect.stringMatching(/^[\w-]{22}$/),
    iss: tessera.url,
    aud: 'tessera-demo',
    nonce: expect.any(String),
    iat: expect.any(Number),
    exp: expect.any(Number),
    name: 'Demo User',
    given_name: 'Demo',
    family_name: 'User',
    preferred_username: 'demo',
    updated_at: expect.any(Number),
    email: 'demo@example.com',
    email_verified: true,
  });
  const header = await json(page, '#access-token-header');
  expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
  const payload = await json(page, '#access-token-payload');
  expect(payload).toEqual({
    iss: tessera.url,
    aud: 'resource_server',
    sub: claims.sub,
    client_id: 'tessera-demo',
    scope: 'api:read',
    jti: expect.any(String),
    iat: expect.any(Number),
    exp: expect.any(Number),
    grant_ref: expect.stringMatching(/^[\w-]{22}$/),
  });
  expect(await page.locator('#resource-status').textContent()).toBe('200 OK');
  expect(await json(page, '#resource-answer')).toEqual({
    message: `Hello! This resource server accepted your access token after checking its signature against ${tessera.url}/jwks, offline.`,
    sub: claims.sub,
    client_id: 'tessera-demo',
    scope: 'api:read',
    aud: 'resource_server',
    expires_at: new Date(Number(payload.exp) * 1000).toISOString(),
  });
}

test('the demo end to end: "Sign in with the demo app", the demo credentials, allow, then claims, access token and the resource answer', () =>
  withBrowser('demo', {}, async (page) => {
    expect(password).toMatch(/^[\w-]{16}$/);
    await runDemo(page);
  }));

test('the demo works without JavaScript too', () => withBrowser('demo-no-javascript', { javaScriptEnabled: false }, runDemo));
