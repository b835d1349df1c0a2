import { createServer } from 'node:http';

import type { Registry } from 'prom-client';

import type { Logger } from './logger.ts';

/** Where the metrics listener serves the Prometheus text format. */
const METRICS_PATH = '/metrics';

/**
 * The metrics listener: its own HTTP server on METRICS_HOST:METRICS_PORT (loopback by default),
 * never the public one, answering `GET /metrics` (and HEAD) with the registry in the Prometheus
 * text format; anything else gets 404 or 405. Resolves once it listens, with what closes it.
 */
export async function startMetricsServer({
  registry,
  host,
  port,
  logger,
}: {
  registry: Registry;
  host: string;
  port: number;
  logger: Logger;
}): Promise<{ close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: metrics are at ${METRICS_PATH}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: Error) => {
        logger.error({ event: 'metrics.failed', err: { message: err.message } }, 'metrics could not be collected');
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n');
      },
    );
  });
  server.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  logger.info(
    { event: 'metrics.listening', host, port: typeof address === 'object' && address ? address.port : port },
    `metrics at http://${host.includes(':') ? `[${host}]` : host}:${port}${METRICS_PATH}`,
  );
  return {
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
