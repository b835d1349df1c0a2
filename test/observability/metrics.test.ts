import * as client from 'openid-client';

import { freePort } from '../support/redis-server.ts';
import { addUser, authorize } from '../support/login-flow.ts';
import { scrape } from '../support/scrape.ts';
import { runTesseraExpectingFailure, startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { FLEET_CONFIG, ORDERS, PASSWORD, REDIRECT, SECRETS, TOKEN_EXCHANGE, ACCESS_TOKEN_TYPE } from '../token-exchange/support/exchange-fixture.ts';

let tessera: TesseraProcess;
let metricsUrl: string;
let webapp: client.Configuration;

beforeAll(async () => {
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  tessera = await startTessera({ configFile: FLEET_CONFIG, env: { METRICS_PORT: String(metricsPort) } });
  addUser(tessera.redisEnv!, 'alice', PASSWORD);
  webapp = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRETS.webapp!), {
    execute: [client.allowInsecureRequests],
  });
});

afterAll(async () => {
  await tessera?.stop();
});

async function token(clientId: string, params: Record<string, string>, secret = SECRETS[clientId]) {
  const response = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    body: new URLSearchParams(params),
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const signIn = (password: string) =>
  authorize({
    issuer: tessera.url,
    config: webapp,
    redirectUri: REDIRECT,
    scope: 'openid offline_access orders payments',
    username: 'alice',
    password,
    extra: { resource: ORDERS, prompt: 'consent' },
  });

test('after a known mix of requests, the scrape counts each exactly', async () => {
  for (let i = 0; i < 3; i++) {
    expect((await token('batch-service', { grant_type: 'client_credentials', resource: ORDERS, scope: 'orders' })).status).toBe(200);
  }
  expect(await token('batch-service', { grant_type: 'client_credentials' }, 'not-the-secret-0123456789abcdefghij')).toEqual({
    status: 401,
    body: { error: 'invalid_client', error_description: 'client authentication failed' },
  });
  await expect(signIn('not the password')).rejects.toThrow(/interaction answered 401/);
  const flow = await signIn(PASSWORD);
  const code = await token('webapp', {
    grant_type: 'authorization_code',
    code: flow.callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: flow.codeVerifier,
    resource: ORDERS,
  });
  expect(code.status).toBe(200);
  const exchanged = await token('orders-service', {
    grant_type: TOKEN_EXCHANGE,
    subject_token: code.body.access_token!,
    subject_token_type: ACCESS_TOKEN_TYPE,
    audience: 'payments',
    scope: 'payments',
  });
  expect(exchanged.status).toBe(200);
  const refreshed = await token('webapp', { grant_type: 'refresh_token', refresh_token: code.body.refresh_token! });
  expect(refreshed.status).toBe(200);
  expect(await token('webapp', { grant_type: 'refresh_token', refresh_token: code.body.refresh_token! })).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });

  const metrics = await scrape(metricsUrl);
  expect(metrics.series('tessera_access_tokens_issued_total')).toEqual({
    '{audience="orders",client_id="batch-service",grant_type="client_credentials"}': 3,
    '{audience="orders",client_id="webapp",grant_type="authorization_code"}': 1,
    '{audience="orders",client_id="webapp",grant_type="refresh_token"}': 1,
    [`{audience="payments",client_id="orders-service",grant_type="${TOKEN_EXCHANGE}"}`]: 1,
  });
  expect(metrics.series('tessera_token_errors_total')).toEqual({
    '{error="invalid_client",grant_type="client_credentials"}': 1,
    '{error="invalid_grant",grant_type="refresh_token"}': 1,
  });
  expect(metrics.series('tessera_refresh_token_reuse_total')).toEqual({ '{client_id="webapp"}': 1 });
  expect(metrics.series('tessera_sign_ins_total')).toEqual({
    '{outcome="success"}': 1,
    '{outcome="wrong_credentials"}': 1,
    '{outcome="throttled"}': 0,
  });
  expect(metrics.series('tessera_token_exchanges_total')).toEqual({ '{outcome="issued"}': 1, '{outcome="refused"}': 0 });
  const requests = metrics.series('tessera_http_requests_total');
  expect(Object.fromEntries(Object.entries(requests).filter(([labels]) => labels.includes('route="token"')))).toEqual({
    '{route="token",status="200"}': 6,
    '{route="token",status="401"}': 1,
    '{route="token",status="400"}': 1,
  });
  // The sign-ins went through the engine's authorization endpoint and Tessera's interaction pages.
  expect(requests['{route="authorization",status="303"}']).toBe(2);
  expect(Object.keys(requests).every((labels) => /^\{route="[\w.]+",status="\d{3}"\}$/.test(labels))).toBe(true);
  expect(metrics.series('tessera_http_request_duration_seconds')['{route="token"}']).toBe(8);
  expect(metrics.family('tessera_http_request_duration_seconds')?.type).toBe('histogram');

  expect(metrics.series('tessera_signing_keys')).toEqual({ '{state="active"}': 2, '{state="next"}': 0, '{state="retired"}': 0 });
  expect(metrics.series('tessera_fleet_instances')).toEqual({ '{}': 1 });
  expect(metrics.series('tessera_fleet_mismatched_instances')).toEqual({ '{}': 0 });
  const redis = metrics.series('tessera_redis_command_duration_seconds');
  expect(redis['{command="evalsha"}']).toBeGreaterThan(0);
  expect(Object.values(metrics.series('tessera_redis_command_errors_total')).every((n) => n === 0)).toBe(true);
  expect(metrics.family('process_cpu_seconds_total')?.type).toBe('counter');
  expect(metrics.family('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
});

test('no user name, token or secret reaches the metrics', async () => {
  const text = await (await fetch(metricsUrl)).text();
  expect(text).not.toMatch(/alice|eyJ|-secret-/);
});

test('the metrics listener binds to loopback by default and answers only GET /metrics', async () => {
  expect(tessera.logs().find((line) => line.event === 'metrics.listening')).toMatchObject({ host: '127.0.0.1' });
  const other = await fetch(metricsUrl.replace('/metrics', '/token'));
  expect({ status: other.status, body: await other.text() }).toEqual({ status: 404, body: 'not found: metrics are at /metrics\n' });
  const post = await fetch(metricsUrl, { method: 'POST' });
  expect({ status: post.status, allow: post.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD' });
});

test('the public port does not serve the metrics, with metrics on', async () => {
  const response = await fetch(`${tessera.url}/metrics`, { headers: { accept: 'application/json' } });
  expect({ status: response.status, body: (await response.json()) as unknown }).toEqual({
    status: 404,
    body: { error: 'not_found', error_description: 'there is no endpoint at this path for this method' },
  });
});

test('without METRICS_PORT there are no metrics at all: no listener, nothing on the public port', async () => {
  const plain = await startTessera({ redis: false });
  try {
    const response = await fetch(`${plain.url}/metrics`, { headers: { accept: 'application/json' } });
    expect({ status: response.status, body: (await response.json()) as unknown }).toEqual({
      status: 404,
      body: { error: 'not_found', error_description: 'there is no endpoint at this path for this method' },
    });
    expect(plain.logs().some((line) => line.event === 'metrics.listening')).toBe(false);
  } finally {
    await plain.stop();
  }
});

test('METRICS_PORT equal to PORT is refused at start, naming the setting', async () => {
  const port = await freePort();
  const run = await runTesseraExpectingFailure({ PORT: String(port), METRICS_PORT: String(port), HOST: '127.0.0.1' });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`METRICS_PORT: must differ from PORT (${port}): metrics have a listener of their own, never the public one`);
});

test('on SIGTERM the metrics listener closes with the server, and the process exits 0', async () => {
  expect(await tessera.stop()).toBe(0);
  await expect(fetch(metricsUrl)).rejects.toThrow();
});
