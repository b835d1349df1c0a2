import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as client from 'openid-client';

import { createTokenExchange } from '../../src/resource-server/index.ts';
import { addUser, authorize } from '../support/login-flow.ts';
import { startTessera } from '../support/tessera.ts';
import type { TesseraProcess } from '../support/tessera.ts';
import { FLEET_CONFIG, ORDERS, PASSWORD, REDIRECT, SECRETS } from '../token-exchange/support/exchange-fixture.ts';
import { startOtlpReceiver } from './support/otlp-receiver.ts';
import type { ReceivedSpan } from './support/otlp-receiver.ts';

const REPORT_LOADS = `--import=${fileURLToPath(new URL('./support/report-otel-loads.mjs', import.meta.url))}`;
const SERVER = 2;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Signs alice in to the browser app (code + PKCE): her access token for the order service. */
async function signIn(tessera: TesseraProcess): Promise<string> {
  const webapp = await client.discovery(new URL(tessera.url), 'webapp', undefined, client.ClientSecretBasic(SECRETS.webapp!), {
    execute: [client.allowInsecureRequests],
  });
  const flow = await authorize({
    issuer: tessera.url,
    config: webapp,
    redirectUri: REDIRECT,
    scope: 'openid orders payments',
    username: 'alice',
    password: PASSWORD,
    extra: { resource: ORDERS },
  });
  const tokens = await client.authorizationCodeGrant(
    webapp,
    flow.callback,
    {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    },
    { resource: ORDERS },
  );
  return tokens.access_token;
}

function childrenOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
}

function descendantsOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return childrenOf(spans, parent).flatMap((child) => [child, ...descendantsOf(spans, child)]);
}

describe('OpenTelemetry tracing', () => {
  test('off by default: no OpenTelemetry module is loaded', async () => {
    const tessera = await startTessera({ redis: false, env: { NODE_OPTIONS: REPORT_LOADS } });
    const response = await fetch(`${tessera.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('traceparent')).toBeNull();
    await tessera.stop();
    expect(tessera.output()).not.toContain('opentelemetry-module-loaded');
    expect(tessera.logs().some((line) => line.event === 'tracing.started')).toBe(false);
  });

  test("a code flow and a token exchange reach an OTLP receiver as linked spans, continuing the caller's trace", async () => {
    const receiver = await startOtlpReceiver();
    const tessera = await startTessera({
      configFile: FLEET_CONFIG,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'tessera-under-test',
        NODE_OPTIONS: REPORT_LOADS,
      },
    });
    // The caller's process traces too, with the SDK registered as its docs say; the kit only uses the API.
    const callerTracing = new NodeTracerProvider();
    callerTracing.register();
    try {
      expect(tessera.output()).toContain('opentelemetry-module-loaded');
      addUser(tessera.redisEnv!, 'alice', PASSWORD);
      const subjectToken = await signIn(tessera);
      const stray = await fetch(`${tessera.url}/no/such/page-${hex(4)}`);
      expect(stray.status).toBe(404);
      const strayTrace = /^00-([\da-f]{32})-([\da-f]{16})-01$/.exec(stray.headers.get('traceparent') ?? '');
      expect(strayTrace).not.toBeNull();

      const exchanger = createTokenExchange({ authority: tessera.url, clientId: 'orders-service', clientSecret: SECRETS['orders-service']! });
      const given = { traceId: hex(16), spanId: hex(8) };
      const exchanged = await exchanger.exchange({
        subjectToken,
        audience: 'payments',
        scope: 'payments',
        traceContext: { traceparent: `00-${given.traceId}-${given.spanId}-01`, tracestate: 'vendor=1' },
      });
      expect(exchanged.accessToken).toEqual(expect.any(String));
      const caller = callerTracing.getTracer('caller').startSpan('caller');
      await context.with(trace.setSpan(context.active(), caller), () => exchanger.exchange({ subjectToken, audience: 'payments' }));
      caller.end();
      expect(await tessera.stop()).toBe(0);

      const spans = receiver.spans;
      expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['tessera-under-test']));
      const serverSpans = spans.filter((s) => s.kind === SERVER);
      // Every server span is named by a bounded route, never by a raw path.
      for (const s of serverSpans) expect(s.name).toBe(`${String(s.attributes['http.request.method'])} ${String(s.attributes['http.route'])}`);
      expect(serverSpans.map((s) => s.attributes['http.route'])).toEqual(expect.arrayContaining(['discovery', 'authorization', '/interaction/*', 'token']));

      // A path nothing serves is named `unmatched`; the response's traceparent names its span.
      expect(serverSpans.find((s) => s.traceId === strayTrace![1])).toMatchObject({
        spanId: strayTrace![2],
        name: 'GET unmatched',
        attributes: { 'http.route': 'unmatched', 'http.response.status_code': 404 },
      });

      // Token exchange with the caller's traceparent: Tessera's token-endpoint span is its child.
      const exchangeSpan = serverSpans.find((s) => s.traceId === given.traceId)!;
      expect(exchangeSpan).toMatchObject({
        parentSpanId: given.spanId,
        name: 'POST token',
        attributes: { 'http.route': 'token', 'http.request.method': 'POST', 'http.response.status_code': 200 },
      });
      const [engine, ...others] = childrenOf(spans, exchangeSpan);
      expect(others).toEqual([]);
      expect(engine!.name).toBe('oidc-provider token');
      expect(childrenOf(spans, engine!).map((s) => s.name)).toEqual(expect.arrayContaining(['token_exchange.verify', 'token_exchange.issue']));

      // Token exchange with an active OpenTelemetry context in the caller's process.
      const fromContext = serverSpans.find((s) => s.traceId === caller.spanContext().traceId)!;
      expect(fromContext).toMatchObject({ parentSpanId: caller.spanContext().spanId, name: 'POST token' });

      // The code flow: the code redemption reads and consumes the code in Redis, below the engine's span.
      const redemption = serverSpans.find((s) => s.name === 'POST token' && !s.parentSpanId)!;
      const [redeemingEngine] = childrenOf(spans, redemption);
      expect(redeemingEngine!.name).toBe('oidc-provider token');
      const redis = descendantsOf(spans, redeemingEngine!).filter((s) => s.attributes['db.system.name'] === 'redis');
      expect(redis.length).toBeGreaterThan(0);
      for (const command of redis) expect(command.name).toBe(command.attributes['db.operation.name']);

      // The sign-in checks the password in a span of its own, under the login request.
      const check = spans.find((s) => s.name === 'login.password_check')!;
      const login = spans.find((s) => s.spanId === check.parentSpanId && s.traceId === check.traceId)!;
      expect(login).toMatchObject({ name: 'POST /interaction/*', attributes: { 'http.route': '/interaction/*' } });
    } finally {
      await callerTracing.shutdown();
      await tessera.stop();
      await receiver.close();
    }
  }, 60000);
});
