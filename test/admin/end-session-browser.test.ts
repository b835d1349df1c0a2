import type { Page } from 'playwright-core';

import { withBrowser } from '../browser/support/chromium.ts';
import { startRelyingParty } from '../browser/support/relying-party.ts';
import type { RelyingParty } from '../browser/support/relying-party.ts';
import { addUser } from '../support/login-flow.ts';
import { startAdminFixture } from './support/admin-fixture.ts';
import type { AdminFixture } from './support/admin-fixture.ts';

const SECRET = 'browser-app-secret-0123456789abcdefghij';
const PASSWORD = 'correct horse battery staple';
let rp: RelyingParty;
let admin: AdminFixture;

beforeAll(async () => {
  rp = await startRelyingParty('browser-app', SECRET);
  admin = await startAdminFixture({
    env: { PASSWORD_SCRYPT_N: '1024' },
    configFile: {
      clients: [
        {
          client_id: 'browser-app',
          client_secret: SECRET,
          client_name: 'Browser App',
          redirect_uris: [rp.redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
    },
  });
  addUser(admin.tessera.redisEnv!, 'alice', PASSWORD);
  await rp.connect(admin.tessera.url);
}, 60_000);

afterAll(async () => {
  await admin?.stop();
  await rp?.stop();
});

async function signedInAtTheApp(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Signed in at the app' }).waitFor();
  expect(rp.outcomes.at(-1)).toMatchObject({ ok: true });
}

test('a session ended through the admin API: the next authorization request of its browser shows the login page', () =>
  withBrowser('admin-end-session', {}, async (page) => {
    await page.goto(`${rp.url}/login?scope=openid`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await signedInAtTheApp(page);
    // While the session lives, the browser is signed in without a password.
    await page.goto(`${rp.url}/login?scope=openid`);
    await signedInAtTheApp(page);

    const token = await admin.token('admin:sessions admin:users');
    const alice = ((await admin.call('GET', '/users?q=alice', { token })).body as { items: { id: string }[] }).items[0]!.id;
    const listed = (await admin.call('GET', `/users/${alice}/sessions`, { token })).body as { items: { session_id: string }[] };
    expect(listed.items).toHaveLength(1);
    expect(await admin.call('DELETE', `/users/${alice}/sessions/${listed.items[0]!.session_id}`, { token })).toMatchObject({ status: 204 });

    await page.goto(`${rp.url}/login?scope=openid`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).origin).toBe(admin.tessera.url);
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
    expect((await admin.call('GET', `/users/${alice}/sessions`, { token })).body).toEqual({ items: [] });
  }));
