import type { Server } from 'node:http';

import type Koa from 'koa';

import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import { answerMalformedRequests } from './malformed-requests.ts';

/**
 * Serves `app` on HOST:PORT, answering malformed requests itself, and resolves once the port
 * listens (rejects when it cannot, e.g. when it is taken), after logging where.
 */
export async function startListening(
  app: Koa,
  {
    config,
    logger,
  }: {
    config: Pick<Config, 'port' | 'host' | 'issuer' | 'nodeEnv'>;
    logger: Logger;
  },
): Promise<Server> {
  const server = app.listen(config.port, config.host);
  answerMalformedRequests(server, { logger, https: config.issuer.startsWith('https://') });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ event: 'server.listening', port, issuer: config.issuer, env: config.nodeEnv }, `Tessera listening on port ${port}, issuer ${config.issuer}`);
  return server;
}
