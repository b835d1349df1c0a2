import { connect } from 'node:net';

import * as client from 'openid-client';

import { addUser, browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { rawFetch } from '../support/raw-http.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const PASSWORD = 'correct horse battery staple';
let tessera: TesseraProcess;
let config: client.Configuration;

beforeAll(async () => {
  tessera = await startTessera({
    configFile: {
      clients: [
        {
          client_id: 'webapp',
          client_secret: SECRET,
          client_name: 'Web App',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code'],
        },
      ],
    },
  });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  config = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRET), { execute: [client.allowInsecureRequests] });
});

afterAll(async () => {
  await tessera.stop();
});

/** A started interaction: its uid, the cookies that go with it and the page's CSRF token. */
async function startInteraction(): Promise<{ uid: string; jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' });
  const start = await browse(jar, url.href);
  const page = await browse(jar, new URL(start.headers.get('location')!, tessera.url).href);
  const html = await page.text();
  return { uid: /action="\/interaction\/([\w-]+)\//.exec(html)![1]!, jar, csrf: csrfOf(html) };
}

const TOO_LARGE_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Cannot continue · Tessera</title>
  <link rel="stylesheet" href="/assets/tessera.css">
</head>
<body>
  <main class="card" aria-labelledby="page-title">
    <h1 id="page-title">Cannot continue</h1>
    <p class="alert" role="alert">The form is too large.</p>
  </main>
</body>
</html>
`;

test.each(['login', 'confirm', 'abort'])(
  'a 20 KiB form posted to /interaction/<uid>/%s is a 413 error page with the security headers, and is logged',
  async (action) => {
    const { uid, jar, csrf } = await startInteraction();
    const answer = await browse(jar, `${tessera.url}/interaction/${uid}/${action}`, {
      csrf,
      username: 'alice',
      password: PASSWORD,
      filler: 'x'.repeat(20 * 1024),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await answer.text()).toBe(TOO_LARGE_PAGE);
    expect(
      Object.fromEntries(['x-content-type-options', 'referrer-policy', 'x-frame-options', 'cache-control'].map((name) => [name, answer.headers.get(name)])),
    ).toEqual({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(answer.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    const lines = await tessera.logsOnce((line) => line.event === 'http.request' && line.path === `/interaction/${uid}/${action}`);
    expect(lines.filter((line) => line.event === 'http.request' && line.path === `/interaction/${uid}/${action}`)).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        service: 'tessera',
        event: 'http.request',
        requestId: answer.headers.get('x-request-id'),
        method: 'POST',
        path: `/interaction/${uid}/${action}`,
        status: 413,
        ms: expect.any(Number),
        ip: '127.0.0.1',
        msg: 'request',
      },
    ]);
  },
);

test('after a form too large, the same interaction still signs in with a normal form', async () => {
  const { uid, jar, csrf } = await startInteraction();
  const large = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf, username: 'alice', password: PASSWORD, filler: 'x'.repeat(1024 * 1024) });
  expect(large.status).toBe(413);
  const answer = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf, username: 'alice', password: PASSWORD });
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toBe(`${tessera.url}/auth/${uid}`);
});

test('a form over 16 KiB sent chunked, without Content-Length, is the same 413 page', async () => {
  const { uid, jar, csrf } = await startInteraction();
  const answer = await rawFetch(`${tessera.url}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
    body: new URLSearchParams({ csrf, username: 'alice', password: PASSWORD, filler: 'x'.repeat(20 * 1024) }).toString(),
  });
  expect(answer.status).toBe(413);
  expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(TOO_LARGE_PAGE)));
  expect(await answer.text()).toBe(TOO_LARGE_PAGE);
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
});

test('a form whose client goes away half-way still gets its access-log line', async () => {
  const { uid, jar } = await startInteraction();
  const socket = connect(tessera.port, '127.0.0.1');
  await new Promise((ready) => socket.once('connect', ready));
  socket.write(
    `POST /interaction/${uid}/login HTTP/1.1\r\nHost: 127.0.0.1:${tessera.port}\r\nCookie: ${jar.header()}\r\n` +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrf=half',
  );
  await new Promise((wait) => setTimeout(wait, 200));
  socket.destroy();
  const path = `/interaction/${uid}/login`;
  const lines = await tessera.logsOnce((line) => line.event === 'http.request' && line.path === path);
  expect(lines.filter((line) => line.event === 'http.request' && line.path === path)).toEqual([expect.objectContaining({ method: 'POST', status: 400 })]);
});
