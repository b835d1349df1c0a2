/** The W3C trace context (https://www.w3.org/TR/trace-context/) a call carries to Tessera. */
export interface TraceContext {
  /** The `traceparent` header of the caller's current span. */
  readonly traceparent: string;
  readonly tracestate?: string | undefined;
}

type Carrier = Record<string, string>;
type Inject = (carrier: Carrier) => void;

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

let fromApi: Promise<Inject | undefined> | undefined;

/**
 * Injects the active OpenTelemetry context when the optional peer `@opentelemetry/api` is
 * installed; without it, or with no SDK registered, it adds nothing. Loaded once, on first use,
 * so the kit imports without it.
 */
function activeContext(): Promise<Inject | undefined> {
  fromApi ??= import('@opentelemetry/api').then(
    ({ context, propagation }) =>
      (carrier: Carrier) =>
        propagation.inject(context.active(), carrier),
    () => undefined,
  );
  return fromApi;
}

/**
 * The trace headers of a call: the context the caller gives (a malformed `traceparent` is
 * dropped, as the W3C specification says a receiver would), else the active OpenTelemetry one.
 */
export async function traceHeaders(given: TraceContext | undefined): Promise<Carrier> {
  if (given) {
    if (!TRACEPARENT.test(given.traceparent)) return {};
    return { traceparent: given.traceparent, ...(given.tracestate ? { tracestate: given.tracestate } : {}) };
  }
  const carrier: Carrier = {};
  (await activeContext())?.(carrier);
  return carrier;
}
