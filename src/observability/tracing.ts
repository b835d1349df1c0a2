/** A value a span may carry as an attribute. */
export type SpanValue = string | number | boolean;

/** The span a traced step runs in: it can be renamed and given attributes as the step learns more. */
export interface SpanHandle {
  setAttribute(key: string, value: SpanValue): void;
  updateName(name: string): void;
}

/**
 * What Tessera's code records its steps with. The steps never see OpenTelemetry: with tracing
 * off they get {@link noTracing}, and no tracing module is loaded at all.
 */
export interface Tracing {
  /**
   * Runs `work` in a child span of the active span, named `name`; the span ends when the
   * returned promise settles and records an error it rejects with.
   */
  span<T>(name: string, work: (span: SpanHandle) => Promise<T>, attributes?: Readonly<Record<string, SpanValue>>): Promise<T>;
}

const NO_SPAN: SpanHandle = { setAttribute: () => undefined, updateName: () => undefined };

/** Tracing off: every step just runs. */
export const noTracing: Tracing = { span: (_name, work) => work(NO_SPAN) };
