import { addUser, CookieJar, csrfOf } from '../support/login-flow.ts';
import { rawFetch } from '../support/raw-http.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';

const SECRET = 'webapp-secret-0123456789abcdefghijklmnop';
const REDIRECT = 'http://127.0.0.1:9/cb';
const BYE = 'http://127.0.0.1:9/bye';
const PASSWORD = 'correct horse battery staple';

/** Headers an attacker (or a misrouted request) sends: with the proxy trusted, the forwarded ones too. */
const FORGED = {
  off: { host: 'evil.example' },
  on: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
};

/** Every string in a JSON value that looks like a URL. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^\w+:\/\//.test(value) ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

describe.each(['off', 'on'] as const)('TRUST_PROXY %s: URLs come from ISSUER, whatever the request says', (trust) => {
  const forged: Record<string, string> = FORGED[trust];
  let tessera: TesseraProcess;

  beforeAll(async () => {
    tessera = await startTessera({
      env: { TRUST_PROXY: trust === 'on' ? 'true' : 'false' },
      configFile: {
        clients: [
          {
            client_id: 'webapp',
            client_secret: SECRET,
            client_name: 'Web App',
            redirect_uris: [REDIRECT],
            grant_types: ['authorization_code'],
            post_logout_redirect_uris: [BYE],
          },
        ],
      },
    });
    addUser(tessera.redisEnv!, 'alice', PASSWORD);
  });

  afterAll(async () => {
    await tessera.stop();
  });

  /** A request as a browser would send it, with the forged headers and the jar's cookies. */
  async function visit(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
    const response = await rawFetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { ...forged, cookie: jar.header(), accept: 'text/html', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    jar.store(response);
    return response;
  }

  const endpoints = () => ({
    issuer: tessera.url,
    authorization_endpoint: `${tessera.url}/auth`,
    token_endpoint: `${tessera.url}/token`,
    jwks_uri: `${tessera.url}/jwks`,
    userinfo_endpoint: `${tessera.url}/me`,
    introspection_endpoint: `${tessera.url}/token/introspection`,
    revocation_endpoint: `${tessera.url}/token/revocation`,
    end_session_endpoint: `${tessera.url}/session/end`,
    pushed_authorization_request_endpoint: `${tessera.url}/request`,
  });

  test('discovery says how long it may be cached', async () => {
    const response = await rawFetch(`${tessera.url}/.well-known/openid-configuration`, { headers: forged });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  test("discovery with a foreign Host names only the issuer's URLs", async () => {
    const response = await rawFetch(`${tessera.url}/.well-known/openid-configuration`, { headers: forged });
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject(endpoints());
    const urls = urlsIn(metadata);
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((url) => !url.startsWith(`${tessera.url}/`) && url !== tessera.url)).toEqual([]);
  });

  test("discovery asked for with an absolute-form target of another host names only the issuer's URLs", async () => {
    const response = await rawFetch(tessera.url, { headers: forged, target: 'http://evil.example/.well-known/openid-configuration' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject(endpoints());
  });

  test("userinfo's WWW-Authenticate names the issuer as its realm, not the Host", async () => {
    const response = await rawFetch(`${tessera.url}/me`, { headers: { ...forged, authorization: 'Bearer not-a-token' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(`realm="${tessera.url}"`);
    expect(response.headers.get('www-authenticate')).not.toContain('evil.example');
  });

  test('the login and consent redirects ignore a foreign Host', async () => {
    const jar = new CookieJar();
    const authorization = `${tessera.url}/auth?${new URLSearchParams({
      client_id: 'webapp',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    })}`;
    const start = await visit(jar, authorization);
    expect(start.status).toBe(303);
    const toLogin = start.headers.get('location')!;
    const uid = /^\/interaction\/([\w-]+)$/.exec(toLogin)![1]!;

    const loginPage = await visit(jar, `${tessera.url}${toLogin}`);
    const loggedIn = await visit(jar, `${tessera.url}/interaction/${uid}/login`, {
      csrf: csrfOf(await loginPage.text()),
      username: 'alice',
      password: PASSWORD,
    });
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get('location')).toBe(`${tessera.url}/auth/${uid}`);

    const toConsent = (await visit(jar, `${tessera.url}/auth/${uid}`)).headers.get('location')!;
    const consentUid = /^\/interaction\/([\w-]+)$/.exec(toConsent)![1]!;
    const consentPage = await visit(jar, `${tessera.url}${toConsent}`);
    const confirmed = await visit(jar, `${tessera.url}/interaction/${consentUid}/confirm`, { csrf: csrfOf(await consentPage.text()) });
    expect(confirmed.headers.get('location')).toBe(`${tessera.url}/auth/${consentUid}`);

    const callback = new URL((await visit(jar, `${tessera.url}/auth/${consentUid}`)).headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(tessera.url);
  });

  test("the logout form's action ignores a foreign Host", async () => {
    const logout = await visit(new CookieJar(), `${tessera.url}/session/end?${new URLSearchParams({ client_id: 'webapp', post_logout_redirect_uri: BYE })}`);
    expect(logout.status).toBe(200);
    expect(/<form [^>]*action="([^"]+)"/.exec(await logout.text())?.[1]).toBe(`${tessera.url}/session/end/confirm`);
  });
});

test('with an https ISSUER and TLS ended before Tessera, cookies are Secure, whatever X-Forwarded-Proto says', async () => {
  const issuer = 'https://id.example.test';
  const tessera = await startTessera({
    env: { ISSUER: issuer, TRUST_PROXY: 'true' },
    configFile: {
      clients: [
        {
          client_id: 'webapp',
          client_secret: SECRET,
          redirect_uris: ['https://app.example.test/cb'],
          grant_types: ['authorization_code'],
        },
      ],
    },
  });
  const direct = `http://127.0.0.1:${tessera.port}`;
  try {
    const query = new URLSearchParams({
      client_id: 'webapp',
      redirect_uri: 'https://app.example.test/cb',
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    });
    const start = await rawFetch(`${direct}/auth?${query}`, { headers: { host: 'id.example.test', 'x-forwarded-proto': 'http' } });
    expect(start.status).toBe(303);
    const cookies = start.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/; secure/i);
    const metadata = (await (await rawFetch(`${direct}/.well-known/openid-configuration`, { headers: { 'x-forwarded-proto': 'http' } })).json()) as Record<
      string,
      unknown
    >;
    expect(metadata.token_endpoint).toBe(`${issuer}/token`);
  } finally {
    await tessera.stop();
  }
});
