import { createHash, randomBytes } from 'node:crypto';

import { jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';

import { DEMO_CALLBACK_PATH, DEMO_CLIENT_ID } from './demo-client.ts';
import type { DemoFlow } from './demo-flow-cookie.ts';

/** The demo app could not finish the sign-in; `error` is the OAuth code, `message` is for the page. */
export class DemoFlowError extends Error {
  readonly error: string;

  constructor(error: string, message: string) {
    super(message);
    this.name = 'DemoFlowError';
    this.error = error;
  }
}

/** What the demo app got: the verified ID token's claims and the access token. */
export interface DemoSignIn {
  readonly claims: JWTPayload;
  readonly accessToken: string;
  readonly scope: string;
  readonly expiresIn: number;
}

/** Options of {@link createDemoRelyingParty}. */
export interface DemoRelyingPartyOptions {
  readonly issuer: string;
  readonly scope: string;
  /** Tessera's JWKS as seen from a back-channel origin. */
  readonly jwks: (origin: string) => JWTVerifyGetKey;
}

/**
 * The demo app: a public client doing the authorization code flow with PKCE (S256), state and
 * nonce against Tessera, with `fetch` and `jose` only. The browser goes to the issuer; the code
 * is redeemed through the back-channel origin.
 */
export function createDemoRelyingParty({ issuer, scope, jwks }: DemoRelyingPartyOptions) {
  const redirectUri = `${issuer}${DEMO_CALLBACK_PATH}`;
  const random = (): string => randomBytes(32).toString('base64url');

  return {
    /** A new flow to keep, and the authorization URL to send the browser to. */
    start(): { flow: DemoFlow; url: string } {
      const flow = { verifier: random(), state: random(), nonce: random() };
      const url = new URL(`${issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: DEMO_CLIENT_ID,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        code_challenge: createHash('sha256').update(flow.verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      }).toString();
      return { flow, url: url.href };
    },

    /** Checks the authorization response against `flow`, redeems the code and verifies the ID token. */
    async finish(params: URLSearchParams, flow: DemoFlow | undefined, origin: string): Promise<DemoSignIn> {
      if (!flow) throw new DemoFlowError('invalid_request', 'This browser did not start a demo sign-in, or it took longer than 10 minutes.');
      if (params.get('state') !== flow.state)
        throw new DemoFlowError('invalid_request', 'The answer does not belong to the sign-in this browser started (state).');
      // RFC 9207: the answer must come from this issuer, not from another server mixed up with it.
      if (params.get('iss') !== issuer) throw new DemoFlowError('invalid_request', 'The answer does not come from this issuer (iss).');
      const error = params.get('error');
      if (error) throw new DemoFlowError(error, params.get('error_description') ?? 'Tessera did not sign you in.');
      const code = params.get('code');
      if (!code) throw new DemoFlowError('invalid_request', 'The answer carries no authorization code.');

      const response = await fetch(new URL('/token', origin), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: flow.verifier,
          client_id: DEMO_CLIENT_ID,
        }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok)
        throw new DemoFlowError(String(body.error ?? 'server_error'), String(body.error_description ?? `the token endpoint answered ${response.status}`));
      if (typeof body.id_token !== 'string' || typeof body.access_token !== 'string')
        throw new DemoFlowError('server_error', 'The token response lacks an ID token or an access token.');

      const { payload } = await jwtVerify(body.id_token, jwks(origin), { issuer, audience: DEMO_CLIENT_ID }).catch((err: Error) => {
        throw new DemoFlowError('invalid_token', `The ID token is not valid: ${err.message}`);
      });
      if (payload.nonce !== flow.nonce) throw new DemoFlowError('invalid_token', 'The ID token was not issued for this sign-in (nonce).');
      return { claims: payload, accessToken: body.access_token, scope: String(body.scope ?? ''), expiresIn: Number(body.expires_in ?? 0) };
    },
  };
}
