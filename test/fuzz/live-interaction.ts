import * as client from 'openid-client';

import { CookieJar, browse, csrfOf } from '../support/login-flow.ts';
import type { LiveInteraction } from './fuzz-cases.ts';

/** The confidential code-flow client the fuzzer's interactions belong to. */
export const FUZZ_CLIENT = {
  client_id: 'fuzz-app',
  client_secret: 'fuzz-app-secret-that-is-long-enough-0001',
  redirect_uris: ['http://127.0.0.1:1/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
};

/** Starts a real authorization request and stops on the login page: its uid, cookies and CSRF token. */
export async function liveInteraction(issuer: string): Promise<LiveInteraction> {
  const jar = new CookieJar();
  const verifier = client.randomPKCECodeVerifier();
  const query = new URLSearchParams({
    client_id: FUZZ_CLIENT.client_id,
    response_type: 'code',
    redirect_uri: FUZZ_CLIENT.redirect_uris[0]!,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'fuzz',
  });
  const start = await browse(jar, `${issuer}/auth?${query}`);
  const location = start.headers.get('location');
  if (!location) throw new Error(`/auth answered ${start.status} without a redirect`);
  const page = await browse(jar, new URL(location, issuer).href);
  const html = await page.text();
  const uid = /action="\/interaction\/([\w-]+)\//.exec(html)?.[1];
  if (!uid) throw new Error(`no interaction on the login page (${page.status})`);
  return { uid, cookie: jar.header(), csrf: csrfOf(html) };
}
