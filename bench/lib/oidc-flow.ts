// A browser's part of the authorization code flow over plain HTTP, for benchmarks: the tests'
// own browser steps (test/support/login-flow.ts), with the authorization request built by hand.
import { createHash, randomBytes } from 'node:crypto';

import { CookieJar, followToRedirect } from '../../test/support/login-flow.ts';

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
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const url = `${o.issuer}/auth?${new URLSearchParams({
    client_id: o.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: o.scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'consent',
    state: randomBytes(8).toString('hex'),
  })}`;
  const callback = await followToRedirect(new CookieJar(), url, o);
  return { code: callback.searchParams.get('code')!, verifier };
}

/** A token endpoint request with HTTP Basic client authentication. */
export async function tokenRequest(issuer: string, basic: string, params: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const body = (await response.json()) as Record<string, string>;
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
