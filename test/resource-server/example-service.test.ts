import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { calculateJwkThumbprint, importPKCS8 } from 'jose';
import type { JWK } from 'jose';

import { makeKeyAndCertificate } from '../support/openssl.ts';
import { freePort } from '../support/redis-server.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { makeKey, signAccessToken, startTestIssuer } from './support/test-issuer.ts';
import type { IssuerKey } from './support/test-issuer.ts';

interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
}

/** Runs `node examples/resource-server/server.ts` with `env`; resolves once it listens. */
async function startExample(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['examples/resource-server/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((ready, fail) => {
    const poll = setInterval(() => {
      if (output.includes('"event":"listening"')) {
        clearInterval(poll);
        ready();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      fail(new Error(`example exited with ${code}:\n${output}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

async function stop(service: Service): Promise<void> {
  const exited = new Promise((done) => service.child.once('exit', done));
  service.child.kill('SIGTERM');
  await exited;
}

test("the example service serves GET /orders to a token granting api:read, discovering the issuer's keys", async () => {
  const key = await makeKey('ES256');
  const issuer = await startTestIssuer([key]);
  const service = await startExample({ AUTHORITY: issuer.url });
  try {
    const ok = await fetch(`${service.url}/orders`, { headers: { authorization: `Bearer ${await issuer.sign(key)}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      caller: { sub: 'user-42', client_id: 'orders-app' },
      orders: [
        { id: 'o-1001', item: 'espresso beans, 1 kg', total: '24.90 EUR' },
        { id: 'o-1002', item: 'burr grinder', total: '189.00 EUR' },
      ],
    });
    const denied = await fetch(`${service.url}/orders`, { headers: { authorization: `Bearer ${await issuer.sign(key, { scope: 'api:write' })}` } });
    expect([denied.status, denied.headers.get('www-authenticate')]).toEqual([
      403,
      'Bearer realm="resource_server", error="insufficient_scope", error_description="the access token does not grant the scope this resource requires", scope="api:read", DPoP realm="resource_server", algs="ES256 EdDSA Ed25519"',
    ]);
    expect(service.output()).toContain('"event":"token.rejected","reason":"insufficient_scope"');
    expect(issuer.fetches).toEqual({ discovery: 1, jwks: 1 });
  } finally {
    await stop(service);
    await issuer.close();
  }
});

test('with PUBLIC_CERT_PATH it verifies offline against the pinned certificate', async () => {
  const dir = tempDir('tessera-rs-example-');
  const { key: keyFile, cert } = makeKeyAndCertificate(dir, 'signing', 'ec');
  const publicJwk = new X509Certificate(readFileSync(cert)).publicKey.export({ format: 'jwk' }) as JWK;
  const key: IssuerKey = {
    alg: 'ES256',
    kid: await calculateJwkThumbprint(publicJwk),
    publicJwk,
    privateKey: await importPKCS8(readFileSync(keyFile, 'utf8'), 'ES256'),
  };
  const authority = 'https://id.example.com';
  const service = await startExample({ AUTHORITY: authority, AUDIENCE: 'orders', PUBLIC_CERT_PATH: cert });
  try {
    const ok = await fetch(`${service.url}/orders`, { headers: { authorization: `Bearer ${await signAccessToken(key, authority, { aud: 'orders' })}` } });
    expect(ok.status).toBe(200);
    const missing = await fetch(`${service.url}/orders`);
    expect([missing.status, missing.headers.get('www-authenticate'), await missing.text()]).toEqual([
      401,
      'Bearer realm="orders", DPoP realm="orders", algs="ES256 EdDSA Ed25519"',
      '',
    ]);
  } finally {
    await stop(service);
  }
});
