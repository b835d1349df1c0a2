import { setTimeout as sleep } from 'node:timers/promises';

import * as client from 'openid-client';

import { browse, CookieJar } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

// A person whose sign-in goes wrong at /interaction/* sees Tessera's error page, with the
// status the JSON answer would have; JSON only for a request that asks for it.

const SECRET = 'error-pages-secret-0123456789abcdefghijk';
const REDIRECT = 'http://127.0.0.1:9/cb';
const EXPIRED = 'This sign-in has expired or is already finished. Go back to the application and sign in again.';
const FORGED = 'This form has expired. Go back to the application and sign in again.';
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    env: { INTERACTION_TTL: '2' },
    configFile: { clients: [{ client_id: 'webapp', client_secret: SECRET, redirect_uris: [REDIRECT], grant_types: ['authorization_code'] }] },
  });
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

/** Tessera's error page, exactly as views/error.eta in views/layout.eta renders it; a form's mistake names no code. */
function errorPage(title: string, message: string, code?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${title} · Tessera</title>
  <link rel="stylesheet" href="/assets/tessera.css">
</head>
<body>
  <main class="card" aria-labelledby="page-title">
    <h1 id="page-title">${title}</h1>
    <p class="alert" role="alert">${message}</p>
${code ? `<p class="detail">Error: <code>${code}</code></p>` : ''}  </main>
</body>
</html>
`;
}

/** A browser that has started a sign-in: its cookies and the interaction's uid. */
async function startSignIn(): Promise<{ jar: CookieJar; uid: string }> {
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'v'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  return { jar, uid: /action="\/interaction\/([\w-]+)\//.exec(await page.text())![1]! };
}

async function answer(response: Response): Promise<{ status: number; type: string | null; cache: string | null; csp: boolean; body: string }> {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    cache: response.headers.get('cache-control'),
    csp: (response.headers.get('content-security-policy') ?? '').includes("frame-ancestors 'none'"),
    body: await response.text(),
  };
}

const page = (status: number, message: string, code?: string) => ({
  status,
  type: 'text/html; charset=utf-8',
  cache: 'no-store',
  csp: true,
  body: errorPage('Cannot continue', message, code),
});

test('a forged or missing CSRF token: 403 and the error page', async () => {
  const { jar, uid } = await startSignIn();
  const login = `${tessera.url}/interaction/${uid}/login`;
  expect(await answer(await browse(jar, login, { csrf: 'forged', username: 'alice', password: 'pw' }))).toEqual(page(403, FORGED));
  expect(await answer(await browse(jar, login, { username: 'alice', password: 'pw' }))).toEqual(page(403, FORGED));
});

test('a form that is not a form: 400 and the error page', async () => {
  const { jar, uid } = await startSignIn();
  const response = await fetch(`${tessera.url}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { cookie: jar.header(), accept: 'text/html', 'content-type': 'text/plain' },
    body: 'username=alice',
  });
  expect(await answer(response)).toEqual(page(400, 'The form was not sent as a form.'));
});

test('an interaction of another browser, or one that has expired: 400 and the error page', async () => {
  const { uid } = await startSignIn();
  expect(await answer(await browse(new CookieJar(), `${tessera.url}/interaction/${uid}`))).toEqual(page(400, EXPIRED, 'invalid_request'));

  const expiring = await startSignIn();
  await sleep(2500);
  expect(await answer(await browse(expiring.jar, `${tessera.url}/interaction/${expiring.uid}`))).toEqual(page(400, EXPIRED, 'invalid_request'));
});

test('a request whose Accept asks for JSON gets the JSON error, with the same status', async () => {
  const { jar, uid } = await startSignIn();
  const forged = await fetch(`${tessera.url}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { cookie: jar.header(), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: 'forged', username: 'alice', password: 'pw' }),
  });
  expect(forged.status).toBe(403);
  expect(forged.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await forged.json()).toEqual({ error: 'invalid_request', error_description: FORGED });

  const gone = await fetch(`${tessera.url}/interaction/${uid}`, { headers: { accept: 'application/json' } });
  expect(gone.status).toBe(400);
  expect(await gone.json()).toEqual({ error: 'invalid_request', error_description: 'interaction session id cookie not found' });
});
