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

beforeAll(async () => {
  rp = await startRelyingParty('browser-app', SECRET);
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'browser-app',
          client_secret: SECRET,
          client_name: 'Browser App',
          redirect_uris: [rp.redirectUri],
          post_logout_redirect_uris: [rp.postLogoutRedirectUri],
          grant_types: ['authorization_code'],
        },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  await rp.connect(tessera.url);
}, 60_000);

afterAll(async () => {
  await tessera?.stop();
  await rp?.stop();
});

test('without JavaScript: a wrong password, then login, consent and logout all work, and every field is labelled', () =>
  withBrowser('no-javascript', { javaScriptEnabled: false }, async (page) => {
    await page.goto(`${rp.url}/login?scope=${encodeURIComponent('openid api:read')}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await page.getByLabel('Username').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('Password').getAttribute('autocomplete')).toBe('current-password');

    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Wrong username or password.');
    expect(await page.getByLabel('Username').getAttribute('aria-describedby')).toBe('login-error');
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();
    expect(rp.outcomes.at(-1)).toMatchObject({ ok: true });
    // <noscript> content shows only when scripting is really off in this browser.
    expect(await page.locator('#no-script').isVisible()).toBe(true);

    await page.goto(`${rp.url}/logout`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out of the app' }).waitFor();
  }));

test('a missing Chromium is reported with how to install it', async () => {
  let ran = false;
  await expect(
    withBrowser('missing-chromium', { executablePath: '/nonexistent/chromium' }, async () => {
      ran = true;
    }),
  ).rejects.toThrow(
    new Error(
      'Chromium is not installed at /nonexistent/chromium: the browser tests need it. Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    ),
  );
  expect(ran).toBe(false);
});
