import { DEMO_CLIENT_ID, demoEnabled } from '../../src/demo/demo-client.ts';
import { browse, CookieJar, csrfOf } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
let tessera: TesseraProcess;
let password: string;

beforeAll(async () => {
  tessera = await startTessera({ redis: false });
  password = String(tessera.logs().find((l) => l.event === 'demo.user')?.demo_password);
});

afterAll(async () => {
  await tessera?.stop();
});

/** Clicks "Sign in with the demo app" and answers Tessera's pages over HTTP; resolves with the callback's answer. */
async function demoFlow(jar: CookieJar, credentials: { username: string; password: string }, decision: 'confirm' | 'abort' = 'confirm'): Promise<Response> {
  let response = await browse(jar, `${tessera.url}/demo/start`, {});
  for (let step = 0; step < 12; step++) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, tessera.url);
      response = await browse(jar, next.href);
      if (next.pathname === '/demo/callback') return response;
      continue;
    }
    const html = await response.text();
    const uid = /action="\/interaction\/([\w-]+)\//.exec(html)?.[1];
    if (!uid) throw new Error(`unexpected page ${response.status}:\n${html.slice(0, 600)}`);
    response = html.includes('name="password"')
      ? await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), ...credentials })
      : await browse(jar, `${tessera.url}/interaction/${uid}/${decision}`, { csrf: csrfOf(html) });
  }
  throw new Error('too many redirects');
}

test('development start without configuration: one demo.user line with a random password, and the root page offers the demo', async () => {
  const lines = tessera.logs().filter((l) => l.event === 'demo.user');
  expect(lines).toEqual([expect.objectContaining({ level: 'info', username: 'demo', created: true, demo_password: password })]);
  expect(password).toMatch(/^[\w-]{16}$/);
  expect(lines[0]!.msg).toBe(`demo app: open ${tessera.url}/ and sign in as "demo" with password "${password}" (development only; shown once)`);
  const home = await fetch(`${tessera.url}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get('content-security-policy')).toBe(CSP);
  expect(home.headers.get('cache-control')).toBe('no-store');
  const html = await home.text();
  expect(html).toContain('<form method="post" action="/demo/start">\n  <button type="submit">Sign in with the demo app</button>');
  expect(html).not.toContain(password);
  expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
});

test('/demo/start sends the browser to the authorization endpoint with PKCE S256, state and nonce, kept in a signed httpOnly cookie', async () => {
  const response = await fetch(`${tessera.url}/demo/start`, { method: 'POST', redirect: 'manual' });
  expect(response.status).toBe(303);
  const target = new URL(response.headers.get('location')!);
  expect(`${target.origin}${target.pathname}`).toBe(`${tessera.url}/auth`);
  expect(Object.fromEntries(target.searchParams)).toEqual({
    client_id: DEMO_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${tessera.url}/demo/callback`,
    scope: 'openid profile email api:read',
    code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    code_challenge_method: 'S256',
    state: expect.stringMatching(/^[\w-]{43}$/),
    nonce: expect.stringMatching(/^[\w-]{43}$/),
  });
  const cookies = response.headers.getSetCookie();
  expect(cookies).toEqual([
    expect.stringMatching(/^tessera_demo=[\w-]+; path=\/demo; expires=[^;]+; samesite=lax; httponly$/),
    expect.stringMatching(/^tessera_demo\.sig=[\w-]+; path=\/demo; expires=[^;]+; samesite=lax; httponly$/),
  ]);
});

test('the demo flow over HTTP: the callback page shows the claims, the decoded access token and the resource answer', async () => {
  const page = await demoFlow(new CookieJar(), { username: 'demo', password });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toBe(CSP);
  expect(page.headers.get('cache-control')).toBe('no-store');
  const html = await page.text();
  expect(html).toContain('<h1 id="page-title">Signed in as Demo User</h1>');
  expect(html).toContain('&quot;preferred_username&quot;: &quot;demo&quot;');
  expect(html).toContain('&quot;typ&quot;: &quot;at+jwt&quot;');
  expect(html).toContain('<strong id="resource-status">200 OK</strong>');
});

test('deny at consent: the demo app says access_denied', async () => {
  const page = await demoFlow(new CookieJar(), { username: 'demo', password }, 'abort');
  expect(page.status).toBe(403);
  const html = await page.text();
  expect(html).toContain('<p class="alert" role="alert">End-User aborted interaction</p>');
  expect(html).toContain('<code id="demo-error">access_denied</code>');
});

test('a callback the browser did not start, a forged cookie or another state is refused before any code is redeemed', async () => {
  const none = await fetch(`${tessera.url}/demo/callback?code=abc&state=xyz&iss=${encodeURIComponent(tessera.url)}`);
  expect(none.status).toBe(400);
  expect(await none.text()).toContain('<p class="alert" role="alert">This browser did not start a demo sign-in, or it took longer than 10 minutes.</p>');

  const jar = new CookieJar();
  const start = await browse(jar, `${tessera.url}/demo/start`, {});
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const forged = new CookieJar();
  forged.cookies.set('tessera_demo', Buffer.from(JSON.stringify({ verifier: 'v', state, nonce: 'n' })).toString('base64url'));
  forged.cookies.set('tessera_demo.sig', jar.cookies.get('tessera_demo.sig')!);
  const tampered = await browse(forged, `${tessera.url}/demo/callback?code=abc&state=${state}&iss=${encodeURIComponent(tessera.url)}`);
  expect(tampered.status).toBe(400);
  expect(await tampered.text()).toContain('This browser did not start a demo sign-in');

  const other = await browse(jar, `${tessera.url}/demo/callback?code=abc&state=another&iss=${encodeURIComponent(tessera.url)}`);
  expect(other.status).toBe(400);
  expect(await other.text()).toContain('<p class="alert" role="alert">The answer does not belong to the sign-in this browser started (state).</p>');
  // The cookie is for one answer only.
  const again = await browse(jar, `${tessera.url}/demo/callback?code=abc&state=${state}&iss=${encodeURIComponent(tessera.url)}`);
  expect(await again.text()).toContain('This browser did not start a demo sign-in');
});

test('/demo/resource: no token, a bad token, and a real access token verified against the JWKS', async () => {
  const missing = await fetch(`${tessera.url}/demo/resource`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="tessera-demo", DPoP realm="tessera-demo", algs="ES256 EdDSA Ed25519"');
  expect(await missing.text()).toBe('');

  const bad = await fetch(`${tessera.url}/demo/resource`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } });
  expect(bad.status).toBe(401);
  expect(bad.headers.get('www-authenticate')).toBe(
    'Bearer realm="tessera-demo", error="invalid_token", error_description="the access token is invalid", DPoP realm="tessera-demo", algs="ES256 EdDSA Ed25519"',
  );
  expect(await bad.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is invalid' });

  const issued = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('dev-service:dev-service-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=api%3Awrite',
  });
  const { access_token: token, expires_in: ttl } = (await issued.json()) as { access_token: string; expires_in: number };
  const ok = await fetch(`${tessera.url}/demo/resource`, { headers: { authorization: `Bearer ${token}` } });
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as Record<string, unknown>;
  expect(body).toEqual({
    message: `Hello! This resource server accepted your access token after checking its signature against ${tessera.url}/jwks, offline.`,
    sub: 'dev-service',
    client_id: 'dev-service',
    scope: 'api:write',
    aud: 'resource_server',
    expires_at: expect.any(String),
  });
  expect(Math.abs(Date.parse(String(body.expires_at)) - (Date.now() + ttl * 1000))).toBeLessThan(5000);
});

test('/demo/resource answers as the resource-server kit does: a malformed Authorization header, a token in the query', async () => {
  const malformed = await fetch(`${tessera.url}/demo/resource`, { headers: { authorization: 'Bearer two tokens' } });
  expect(malformed.status).toBe(400);
  expect(await malformed.json()).toEqual({ error: 'invalid_request', error_description: 'the Authorization header is not a valid Bearer credential' });
  const inQuery = await fetch(`${tessera.url}/demo/resource?access_token=abc`);
  expect(inQuery.status).toBe(400);
  expect(await inQuery.json()).toEqual({ error: 'invalid_request', error_description: 'the access token must be sent in the Authorization header' });
});

test('the demo user signs in through the memory throttle: wrong passwords are throttled without Redis too', async () => {
  const statuses: number[] = [];
  const jar = new CookieJar();
  const start = await browse(jar, `${tessera.url}/demo/start`, {});
  const auth = await browse(jar, start.headers.get('location')!);
  const page = await browse(jar, new URL(auth.headers.get('location')!, tessera.url).href);
  const html = await page.text();
  const uid = /action="\/interaction\/([\w-]+)\//.exec(html)![1]!;
  let last: Response | undefined;
  for (let i = 0; i < 7; i++) {
    last = await browse(jar, `${tessera.url}/interaction/${uid}/login`, { csrf: csrfOf(html), username: 'Demo', password: `wrong-${i}` });
    statuses.push(last.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  expect(last!.headers.get('retry-after')).toBe('2');
  expect(await last!.text()).toContain('<p class="alert" role="alert" id="login-error">Too many attempts. Try again in 2 seconds.</p>');
});

test('no demo in test mode or once clients are configured; never in production', async () => {
  for (const options of [
    { env: { NODE_ENV: 'test' } },
    {
      configFile: {
        clients: [{ client_id: 'svc', client_secret: 'x'.repeat(32), grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
      },
    },
  ]) {
    const other = await startTessera({ redis: false, ...options });
    try {
      expect(other.logs().filter((l) => String(l.event).startsWith('demo.'))).toEqual([]);
      expect((await fetch(`${other.url}/`)).status).toBe(404);
      expect((await fetch(`${other.url}/demo/resource`)).status).toBe(404);
      const auth = await fetch(`${other.url}/auth?client_id=${DEMO_CLIENT_ID}&response_type=code&scope=openid`, { redirect: 'manual' });
      expect(auth.status).toBe(400);
      expect(await auth.text()).toContain('<code>invalid_client</code>');
    } finally {
      await other.stop();
    }
  }
  expect(demoEnabled({ nodeEnv: 'production', clients: [] })).toBe(false);
  expect(demoEnabled({ nodeEnv: 'development', clients: [] })).toBe(true);
});

test('with Redis the demo user is created once: a later start leaves its password alone and says how to set one', async () => {
  const env = { REDIS_KEY_PREFIX: `demo-${process.pid}-${Date.now()}:` };
  const first = await startTessera({ env });
  await first.stop();
  const second = await startTessera({ env });
  await second.stop();
  const created = first.logs().find((l) => l.event === 'demo.user')!;
  expect(created).toMatchObject({ created: true, demo_password: expect.stringMatching(/^[\w-]{16}$/) });
  const existing = second.logs().filter((l) => l.event === 'demo.user');
  expect(existing).toEqual([expect.objectContaining({ created: false })]);
  expect(existing[0]!.msg).toBe(
    `demo app: open ${second.url}/ and sign in as "demo"; that user exists from an earlier start and its password was shown then ` +
      '(set a new one with: npx tessera users set-password demo)',
  );
  expect(second.output()).not.toContain(String(created.demo_password));
});
