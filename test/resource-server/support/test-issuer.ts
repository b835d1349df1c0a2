import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, JWTHeaderParameters } from 'jose';

/** A signing key of the test issuer; `kid` is its RFC 7638 thumbprint, as Tessera's are. */
export interface IssuerKey {
  readonly alg: 'ES256' | 'RS256' | 'PS256' | 'EdDSA';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** As Tessera publishes it: `use: sig` and `kid`, plus `alg` for EC and OKP keys. */
  readonly publicJwk: JWK;
}

/** A tiny issuer on 127.0.0.1: discovery and JWKS, counting every request to each. */
export interface TestIssuer {
  readonly url: string;
  readonly fetches: { discovery: number; jwks: number };
  /** Replaces the published JWKS. */
  publish(keys: readonly (IssuerKey | JWK)[]): void;
  /** Status of the JWKS endpoint from now on (200 serves the keys). */
  jwksStatus: number;
  /** The `jwks_uri` discovery names from now on; default `<url>/jwks`. */
  jwksUri: string;
  /** An access token shaped like Tessera's; `claims` and `header` entries override (undefined removes). */
  sign(key: IssuerKey, claims?: Record<string, unknown>, header?: Partial<JWTHeaderParameters>): Promise<string>;
  close(): Promise<void>;
}

export async function makeKey(alg: IssuerKey['alg']): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { alg, kid, privateKey, publicJwk: { ...jwk, kid, use: 'sig', ...(jwk.kty === 'RSA' ? {} : { alg }) } };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** An access token shaped like Tessera's from `iss`; `claims` and `header` entries override (undefined removes). */
export async function signAccessToken(
  key: IssuerKey,
  iss: string,
  claims: Record<string, unknown> = {},
  header: Partial<JWTHeaderParameters> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = withoutUndefined({
    iss,
    aud: 'resource_server',
    sub: 'user-42',
    client_id: 'orders-app',
    scope: 'api:read api:write',
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...claims,
  });
  const protectedHeader = withoutUndefined({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }) as JWTHeaderParameters;
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key.privateKey);
}

export async function startTestIssuer(keys: readonly IssuerKey[]): Promise<TestIssuer> {
  let jwks = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
  const fetches = { discovery: 0, jwks: 0 };
  const state = { jwksStatus: 200, jwksUri: '' };
  let url = '';
  const server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      fetches.discovery += 1;
      res.end(
        JSON.stringify({
          issuer: url,
          jwks_uri: state.jwksUri || `${url}/jwks`,
          token_endpoint: `${url}/token`,
          id_token_signing_alg_values_supported: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        }),
      );
    } else if (req.url === '/jwks') {
      fetches.jwks += 1;
      res.statusCode = state.jwksStatus;
      res.end(state.jwksStatus === 200 ? jwks : '{"error":"server_error"}');
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    fetches,
    get jwksStatus() {
      return state.jwksStatus;
    },
    set jwksStatus(status) {
      state.jwksStatus = status;
    },
    get jwksUri() {
      return state.jwksUri || `${url}/jwks`;
    },
    set jwksUri(uri) {
      state.jwksUri = uri;
    },
    publish(next) {
      jwks = JSON.stringify({ keys: next.map((k) => ('publicJwk' in k ? k.publicJwk : k)) });
    },
    sign: (key, claims, header) => signAccessToken(key, url, claims, header),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
