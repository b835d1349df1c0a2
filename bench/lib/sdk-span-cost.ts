// The bare OpenTelemetry SDK's cost per traced token, in this process: the two spans Tessera
// makes for a client_credentials request (a server span continuing an incoming traceparent and
// an active child span), ended into a BatchSpanProcessor whose exporter either drops the batch
// or serializes it to OTLP JSON as the OTLP/HTTP exporter does (without sending it). This is the
// floor of what tracing adds to a token, whatever Tessera's own code does.
import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

import { interleavedRound } from './interleave.ts';
import type { Operation } from './interleave.ts';

const HEADERS = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

function tracedRequest(serialize: boolean): Operation {
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done) {
      if (serialize) JsonTraceSerializer.serializeRequest(spans);
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench');
  const propagator = new W3CTraceContextPropagator();
  return async () => {
    const parent = propagator.extract(api.ROOT_CONTEXT, HEADERS, api.defaultTextMapGetter);
    const span = tracer.startSpan('POST', { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.scheme': 'http' } }, parent);
    const active = api.trace.setSpan(parent, span);
    propagator.inject(active, {}, api.defaultTextMapSetter);
    await api.context.with(active, () =>
      tracer.startActiveSpan('oidc-provider', { kind: api.SpanKind.INTERNAL }, async (engine) => {
        await Promise.resolve();
        engine.updateName('oidc-provider token');
        engine.end();
      }),
    );
    span.updateName('POST token');
    span.setAttributes({ 'http.route': 'token', 'http.response.status_code': 200 });
    span.end();
  };
}

/** CPU µs per traced token (two spans) of the bare SDK: spans only, and spans serialized to OTLP JSON. */
export async function sdkSpanCost(rounds = 3): Promise<{ spansOnly: number; serialized: number }> {
  new NodeTracerProvider().register();
  const spansOnly = tracedRequest(false);
  const serialized = tracedRequest(true);
  await interleavedRound(spansOnly, serialized, true, 2, 300);
  const results = [];
  for (let round = 0; round < rounds; round++) results.push(await interleavedRound(spansOnly, serialized, round % 2 === 0, 6, 250));
  const mid = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return { spansOnly: mid(results.map((r) => r.aCpuMicros)), serialized: mid(results.map((r) => r.bCpuMicros)) };
}
