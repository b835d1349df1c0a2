// A browser's part of the authorization code flow over plain HTTP (for benchmarks): follows
// redirects by hand, keeps cookies, fills in the login and consent forms.
import { createHash, randomBytes } from 'node:crypto';

/** Cookies of one user agent, by name. */
export class Cookies {
  readonly jar = new Map<string, string>();

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.slice(0, line.indexOf(';'));
      const name = pair.slice(0, pair.indexOf('='));
      if (/expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(name.length + 1));
    }
  }

  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function go(cookies: Cookies, url: string, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET', redirect: 'manual',
    headers: { cookie: cookies.header(), accept: 'text/html', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  cookies.keep(response);
  return response;
}

export interface FlowOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly username: string;
  readonly password: string;
}

/** authorize → login → consent; resolves with the code and the PKCE verifier. */
export async function authorizeOverHttp(o: FlowOptions): Promise<{ code: string; verifier: string }> {
  const cookies = new Cookies();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  let url = `${o.issuer}/auth?${new URLSearchParams({ client_id: o.clientId, response_type: 'code', redirect_uri: o.redirectUri,
    scope: o.scope, code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent', state: randomBytes(8).toString('hex') })}`;
  for (let step = 0; step < 12; step++) {
    const response = await go(cookies, url);
    const location = response.headers.get('location');
    if (location) {
      if (location.startsWith(o.redirectUri)) return { code: new URL(location).searchParams.get('code')!, verifier };
      url = new URL(location, o.issuer).href;
      continue;
    }
    const html = await response.text();
    const uid = /action="\/interaction\/([\w-]+)\//.exec(html)?.[1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!uid || !csrf) throw new Error(`unexpected page ${response.status} at ${url}`);
    const answer = html.includes('name="password"')
      ? await go(cookies, `${o.issuer}/interaction/${uid}/login`, { csrf, username: o.username, password: o.password })
      : await go(cookies, `${o.issuer}/interaction/${uid}/confirm`, { csrf });
    const next = answer.headers.get('location');
    if (!next) throw new Error(`interaction answered ${answer.status}`);
    if (next.startsWith(o.redirectUri)) return { code: new URL(next).searchParams.get('code')!, verifier };
    url = new URL(next, o.issuer).href;
  }
  throw new Error('too many redirects');
}

/** A token endpoint request with HTTP Basic client authentication. */
export async function tokenRequest(issuer: string, basic: string, params: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params),
  });
  const body = await response.json() as Record<string, string>;
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
