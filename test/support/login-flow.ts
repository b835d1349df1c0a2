import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import * as client from 'openid-client';

import { ROOT } from './tessera.ts';

/** A cookie jar for one user agent: name → value, replaced and expired as Set-Cookie says. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A GET or form POST as a browser would send it, without following redirects. */
export async function browse(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(), accept: 'text/html', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  jar.store(response);
  return response;
}

/** The hidden CSRF token of an interaction page. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF token in page:\n${html.slice(0, 500)}`);
  return match[1]!;
}

export interface FlowResult {
  /** Where the browser was sent first: the authorization request. */
  readonly authorizationUrl: string;
  /** The URL the browser was finally sent to: the redirect URI with code or error. */
  readonly callback: URL;
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly jar: CookieJar;
}

/**
 * Runs authorize → login → consent over HTTP, as a browser would, and stops at the redirect
 * to the client. `decision` picks allow or deny on the consent page; a session in `jar`
 * skips the login step.
 */
export async function authorize(options: {
  issuer: string;
  config: client.Configuration;
  redirectUri: string;
  scope: string;
  username: string;
  password: string;
  jar?: CookieJar;
  decision?: 'allow' | 'deny';
  extra?: Record<string, string>;
  /** Send a PKCE code challenge (default true), and a nonce (default true). */
  pkce?: boolean;
  nonce?: boolean;
  /** Push the request to the PAR endpoint first (openid-client's buildAuthorizationUrlWithPAR). */
  par?: boolean;
}): Promise<FlowResult> {
  const jar = options.jar ?? new CookieJar();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params = {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state,
    ...(options.nonce === false ? {} : { nonce }),
    ...(options.pkce === false ? {} : { code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256' }),
    ...options.extra,
  };
  const authorizationUrl = (
    options.par ? await client.buildAuthorizationUrlWithPAR(options.config, params) : client.buildAuthorizationUrl(options.config, params)
  ).href;
  const callback = await followToRedirect(jar, authorizationUrl, options);
  return { authorizationUrl, callback, codeVerifier, state, nonce, jar };
}

/** Who signs in and what they answer, for {@link followToRedirect}. */
export interface BrowserAnswers {
  readonly issuer: string;
  readonly redirectUri: string;
  readonly username: string;
  readonly password: string;
  /** Allow or deny on the consent page; allow by default. */
  readonly decision?: 'allow' | 'deny' | undefined;
}

/**
 * From an authorization request `url`, does what a browser would: follows redirects by hand,
 * keeps cookies in `jar`, fills in the login form and answers the consent page; resolves with
 * the URL the browser is finally sent to (the redirect URI with a code or an error).
 */
export async function followToRedirect(jar: CookieJar, url: string, options: BrowserAnswers): Promise<URL> {
  let next = url;
  for (let step = 0; step < 12; step++) {
    const response = await browse(jar, next);
    const location = response.headers.get('location');
    if (location) {
      const target = new URL(location, options.issuer);
      if (target.href.startsWith(options.redirectUri)) return target;
      next = target.href;
      continue;
    }
    const html = await response.text();
    const uid = /action="\/interaction\/([\w-]+)\//.exec(html)?.[1];
    if (!uid) throw new Error(`unexpected page (${response.status}) at ${next}:\n${html.slice(0, 800)}`);
    const csrf = csrfOf(html);
    let answer: Response;
    if (html.includes('name="password"')) {
      answer = await browse(jar, `${options.issuer}/interaction/${uid}/login`, { csrf, username: options.username, password: options.password });
    } else {
      const action = options.decision === 'deny' ? 'abort' : 'confirm';
      answer = await browse(jar, `${options.issuer}/interaction/${uid}/${action}`, { csrf });
    }
    const after = answer.headers.get('location');
    if (!after) throw new Error(`interaction answered ${answer.status}:\n${(await answer.text()).slice(0, 800)}`);
    next = new URL(after, options.issuer).href;
  }
  throw new Error('too many redirects');
}

/** Creates a user with the `tessera` CLI against the Redis a Tessera process uses. */
export function addUser(env: { REDIS_URL: string; REDIS_KEY_PREFIX: string }, username: string, password: string, ...flags: string[]): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/tessera.js'), 'users', 'add', username, ...flags], {
    cwd: ROOT,
    input: `${password}\n`,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (run.status !== 0) throw new Error(`tessera users add failed (${run.status}): ${run.stderr}`);
}
