import { loadConfig } from '../../src/config/load-config.ts';

test('tracing is off unless an OTEL_* variable turns it on', () => {
  expect(loadConfig({}).tracing).toBeUndefined();
  expect(loadConfig({ OTEL_SERVICE_NAME: 'idp' }).tracing).toBeUndefined();
  expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeUndefined();
});

test('the OTLP endpoint: the traces URL as is, else the base URL with /v1/traces, else the local collector', () => {
  expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toEqual({ endpoint: 'http://localhost:4318/v1/traces', serviceName: 'tessera' });
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'idp' }).tracing).toEqual({
    endpoint: 'http://collector:4318/v1/traces',
    serviceName: 'idp',
  });
  expect(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/in' }).tracing,
  ).toEqual({ endpoint: 'https://traces.example.com/in', serviceName: 'tessera' });
});

test('bad OTEL_* values are refused, each named', () => {
  expect(() =>
    loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x' }),
  ).toThrow(
    expect.objectContaining({
      name: 'ConfigError',
      problems: [
        'OTEL_TRACES_EXPORTER: must be otlp or none',
        'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http or https URL without query or fragment',
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http or https URL without query or fragment',
      ],
    }),
  );
});
